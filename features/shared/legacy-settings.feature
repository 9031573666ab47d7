Feature: Clients without app-profile partner settings follow the global setting
  "If you use Zscaler Client Connector version 4.6 and later for Windows, your organization can
  enable partner logins by app profile and for specific domains." Inferred: Windows clients before
  4.6 and macOS clients do not apply those app-profile settings.

  @req:PRE-LEGACY
  Scenario Outline: An app profile that allows partner logins does not help when the global setting is off, on <platform> <version>
    Given "Wayne Enterprises" does not allow its users to log in to other tenants
    And the app profile of "walter@wayne.example" allows partner logins
    And Zscaler Client Connector for <platform> is enrolled as "walter@wayne.example"
    When I open Zscaler Client Connector and click Private Access
    Then the Private Access window does not show the Add Partner Tenant link

    @platform:windows @below-version:4.6
    Examples: Windows before 4.6
      | platform | version    |
      | Windows  | before 4.6 |

    @platform:macos
    Examples: macOS
      | platform | version |
      | macOS    | (all)   |

  @req:PRE-LEGACY
  Scenario Outline: An app profile that does not allow partner logins does not stop them when the global setting is on, on <platform> <version>
    Given "Acme Corp" allows its users to log in to other tenants
    And the app profile of "arthur@acme.example" does not allow partner logins
    And Zscaler Client Connector for <platform> is enrolled as "arthur@acme.example"
    When I open Zscaler Client Connector and click Private Access
    Then the Private Access window shows the Add Partner Tenant link

    @platform:windows @below-version:4.6
    Examples: Windows before 4.6
      | platform | version    |
      | Windows  | before 4.6 |

    @platform:macos
    Examples: macOS
      | platform | version |
      | macOS    | (all)   |
