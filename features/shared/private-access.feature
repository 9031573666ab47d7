Feature: The Private Access window
  "Open Zscaler Client Connector and click Private Access. If your organization does not use ZPA,
  the Private Access window displays only the Add Partner Tenant link and information about the
  partner tenant."

  @req:PA-OPEN @req:PRE-ORG
  Scenario Outline: Private Access lists my organisation's tenant and offers Add Partner Tenant on <platform>
    Given "Acme Corp" allows its users to log in to other tenants
    And the app profile of "alice@acme.example" follows the global partner login setting
    And Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    Then the Private Access window appears
    And the Private Access window lists my organisation's tenant "Acme Corp" with ZPA on
    And the Private Access window shows the Add Partner Tenant link

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:PA-ZIA-ONLY
  Scenario Outline: Without ZPA, Private Access shows only the Add Partner Tenant link and partner tenant information on <platform>
    Given "Umbrella Health" does not use ZPA
    And "Umbrella Health" allows its users to log in to other tenants
    And Zscaler Client Connector for <platform> is enrolled as "uma@umbrella.example"
    When I open Zscaler Client Connector and click Private Access
    Then the Private Access window shows only the Add Partner Tenant link and information about the partner tenant

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |
