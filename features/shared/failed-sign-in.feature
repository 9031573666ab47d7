Feature: A failed or cancelled partner sign-in changes nothing
  Inferred: the article documents only the successful sign-in; a sign-in that does not succeed must
  not add the partner tenant nor turn the organisation's tenant off.

  Background:
    Given "Acme Corp" allows its users to log in to other tenants
    And "Globex Corporation" allows partner logins from all tenants

  @req:FAIL-NO-CHANGE
  Scenario Outline: A wrong password keeps the sign-in page open and adds nothing on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@globex.example" as my username for the partner tenant
    And I click Submit
    And I enter a wrong password for the partner tenant and log in
    Then the identity provider page shows "Unable to sign in"
    When I close the authentication window
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

  @req:FAIL-NO-CHANGE
  Scenario Outline: Cancelling on the identity provider page adds nothing on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@globex.example" as my username for the partner tenant
    And I click Submit
    And I cancel the sign-in on the identity provider page
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

  @req:RETRY
  Scenario Outline: After a cancelled sign-in, adding the partner tenant again adds it on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@globex.example" as my username for the partner tenant
    And I click Submit
    And I cancel the sign-in on the identity provider page
    And I add the partner tenant "Globex Corporation" as "alice@globex.example"
    Then the Private Access window reappears and displays both my organisation's tenant "Acme Corp" and the partner tenant "Globex Corporation"

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:FAIL-NO-CHANGE
  Scenario Outline: A login the partner refuses after its sign-in page shows an error and adds nothing on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@globex.example" as my username for the partner tenant
    And I click Submit
    And "Globex Corporation" does not allow partner logins to its tenant
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

  @req:RETRY
  Scenario Outline: After a wrong password and a closed window, adding the partner tenant again adds it on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@globex.example" as my username for the partner tenant
    And I click Submit
    And I enter a wrong password for the partner tenant and log in
    And I close the authentication window
    And I add the partner tenant "Globex Corporation" as "alice@globex.example"
    Then the Private Access window reappears and displays both my organisation's tenant "Acme Corp" and the partner tenant "Globex Corporation"

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:RETRY
  Scenario Outline: A partner that refused is refused again, and added once it allows partner logins, on <platform>
    Given "Initech" does not allow partner logins to its tenant
    And Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I add the partner tenant "Initech" as "alice@initech.example"
    And I add the partner tenant "Initech" as "alice@initech.example"
    Then the client shows an error
    When "Initech" allows partner logins from all tenants
    And I add the partner tenant "Initech" as "alice@initech.example"
    Then the Private Access window reappears and displays both my organisation's tenant "Acme Corp" and the partner tenant "Initech"

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |
