Feature: Both organisations must enable partner logins
  "Before you can add a partner tenant, your organization and the partner organization must enable
  Zscaler Private Access (ZPA) partner logins. [...] You can enable ZPA partner logins even if you do
  not use ZPA and use only Zscaler Internet Access (ZIA)."

  @req:PRE-ORG
  Scenario Outline: Without partner logins for its users, my organisation offers no Add Partner Tenant link on <platform>
    Given "Wayne Enterprises" does not allow its users to log in to other tenants
    And the app profile of "wendy@wayne.example" follows the global partner login setting
    And Zscaler Client Connector for <platform> is enrolled as "wendy@wayne.example"
    When I open Zscaler Client Connector and click Private Access
    Then the Private Access window does not show the Add Partner Tenant link

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:PRE-PARTNER
  Scenario Outline: A partner organisation that does not allow partner logins refuses the login on <platform>
    Given "Acme Corp" allows its users to log in to other tenants
    And "Initech" does not allow partner logins to its tenant
    And Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice@initech.example" as my username for the partner tenant
    And I click Submit
    Then the client shows an error
    When I click Cancel
    Then the partner tenant "Initech" is not listed and ZPA is still on for my organisation

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:PRE-ZIA
  Scenario Outline: A user of a ZIA-only organisation adds a partner tenant on <platform>
    Given "Umbrella Health" does not use ZPA
    And "Umbrella Health" allows its users to log in to other tenants
    And "Globex Corporation" allows partner logins from all tenants
    And Zscaler Client Connector for <platform> is enrolled as "uma@umbrella.example"
    When I add the partner tenant "Globex Corporation" as "uma@globex.example"
    Then the Private Access window lists the partner tenant "Globex Corporation" with ZPA on

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |
