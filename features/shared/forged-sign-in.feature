Feature: A forged or faulty partner sign-in adds nothing
  Standard: RFC 8252 §8.9, RFC 9207 §2.4, RFC 6749 §4.1.3 and OpenID Connect Core §3.1.3.7 say what a
  native client must refuse: an authorization response that answers no pending request, one from
  another identity provider, a code issued to another client, an ID token that fails validation. An
  attacker on the same machine sends the client's loopback listener a forged response before the real
  one; the partner's identity provider is switched, for one scenario, to issue faulty ID tokens. Each
  time the client shows an error, adds nothing, and the organisation's tenant stays as it was.

  Background:
    Given "Acme Corp" allows its users to log in to other tenants
    And "Globex Corporation" allows partner logins from all tenants

  @req:CALLBACK-STATE
  Scenario Outline: A callback <forgery> is rejected on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@globex.example" as my username for the partner tenant
    And I click Submit
    And an attacker sends the client's loopback listener a callback <forgery>
    Then the client shows an error
    And the client does not redeem the attacker's code
    And the partner tenant "Globex Corporation" is not listed and ZPA is still on for my organisation

    @platform:windows
    Examples: Windows
      | platform | forgery            |
      | Windows  | with a wrong state |
      | Windows  | without state      |

    @platform:macos
    Examples: macOS
      | platform | forgery            |
      | macOS    | with a wrong state |
      | macOS    | without state      |

  @req:CALLBACK-ISS
  Scenario Outline: A callback with the iss of another identity provider is rejected on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@globex.example" as my username for the partner tenant
    And I click Submit
    And an attacker sends the client's loopback listener a callback with the iss of another identity provider
    Then the client shows an error
    And the client does not redeem the attacker's code
    And the partner tenant "Globex Corporation" is not listed and ZPA is still on for my organisation

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:CALLBACK-CODE
  Scenario Outline: A code issued to another client adds nothing on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@globex.example" as my username for the partner tenant
    And I click Submit
    And an attacker sends the client's loopback listener a callback with a code issued to another client
    Then the client shows an error
    And the partner tenant "Globex Corporation" is not listed and ZPA is still on for my organisation

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:ID-TOKEN
  Scenario Outline: An ID token <fault> is rejected on <platform>
    Given the identity provider of "Globex Corporation" issues ID tokens <fault>
    And Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@globex.example" as my username for the partner tenant
    And I click Submit
    And I enter my credentials for the partner tenant and log in
    Then the client shows an error
    And the client sends no ID token to the policy API
    And the partner tenant "Globex Corporation" is not listed and ZPA is still on for my organisation

    @platform:windows
    Examples: Windows
      | platform | fault                |
      | Windows  | for another audience |
      | Windows  | with another nonce   |
      | Windows  | that have expired    |

    @platform:macos
    Examples: macOS
      | platform | fault                |
      | macOS    | for another audience |
      | macOS    | with another nonce   |
      | macOS    | that have expired    |

  # OpenID Connect Core §3.1.3.7 rule 6 lets the client rely on TLS instead of the signature of an ID
  # token it got from the token endpoint; the policy API verifies it and refuses it.
  @req:ID-TOKEN
  Scenario Outline: An ID token signed with a key not in the identity provider's keys adds nothing on <platform>
    Given the identity provider of "Globex Corporation" issues ID tokens signed with a key not in its JWKS
    And Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@globex.example" as my username for the partner tenant
    And I click Submit
    And I enter my credentials for the partner tenant and log in
    Then the client shows an error
    And the partner tenant "Globex Corporation" is not listed and ZPA is still on for my organisation

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |
