Feature: Every partner organisation, the one on another cloud too
  The partner organisations of the fixtures beside Globex Corporation and Hooli, each reached through
  the documented flow: "In the Add Tenant window, enter your username for the partner tenant and
  click Submit. The identity provider page for the partner organization appears." Vandelay Industries
  is on another Zscaler cloud (zscalertwo.net), which the article does not set apart: it is added as
  any partner tenant is. Soylent restricts old Client Connector versions: "only Windows 4.7+ partner
  devices may log in" (Enabling ZPA Partner Logins), so older clients are refused.

  @req:IDP-PARTNER @req:IDP-RETURN
  Scenario Outline: A partner tenant of <partner> is added on <platform>
    Given "Acme Corp" allows its users to log in to other tenants
    And "<partner>" allows partner logins from all tenants
    And Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "<username>" as my username for the partner tenant
    And I click Submit
    Then the identity provider page for the partner organisation "<partner>" appears
    When I enter my credentials for the partner tenant and log in
    Then the Private Access window reappears and displays both my organisation's tenant "Acme Corp" and the partner tenant "<partner>"

    @platform:windows
    Examples: Windows, a partner on another cloud
      | platform | partner             | username               |
      | Windows  | Vandelay Industries | alice@vandelay.example |

    @platform:macos
    Examples: macOS, a partner on another cloud
      | platform | partner             | username               |
      | macOS    | Vandelay Industries | alice@vandelay.example |

    @platform:windows @min-version:4.7
    Examples: Windows 4.7+, a partner that restricts old Client Connector versions
      | platform | partner | username              |
      | Windows  | Soylent | alice@soylent.example |

  @req:PRE-PARTNER
  Scenario Outline: A partner that restricts old Client Connector versions refuses the login on <platform>
    Given "Acme Corp" allows its users to log in to other tenants
    And "Soylent" restricts old Client Connector versions
    And Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@soylent.example" as my username for the partner tenant
    And I click Submit
    Then the client shows an error
    When I click Cancel
    Then the partner tenant "Soylent" is not listed and ZPA is still on for my organisation

    @platform:windows @below-version:4.7
    Examples: Windows before 4.7
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |
