Feature: Switching ZPA between the main tenant and the partner tenant
  "You can click Turn On for the main tenant to enable it and automatically turn off access to the
  partner organization. [...] you can click Turn On for the partner tenant to enable ZPA access to
  the partner organization." Only one tenant's tunnel is active at a time.

  Background:
    Given "Acme Corp" allows its users to log in to other tenants
    And "Globex Corporation" allows partner logins from all tenants

  @req:EX-PARTNER-OFF-MAIN @req:EX-ONE-ACTIVE
  Scenario Outline: Logging in to the partner organisation turns ZPA off for my organisation on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I add the partner tenant "Globex Corporation" as "alice@globex.example"
    Then ZPA access to my organisation is turned off and the partner tenant "Globex Corporation" is on
    And at no moment was ZPA on for more than one tenant

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:EX-MAIN-ON @req:EX-ONE-ACTIVE
  Scenario Outline: Turn On for the main tenant turns the partner tenant off on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    And I have added the partner tenant "Globex Corporation" as "alice@globex.example"
    And ZPA is on for the partner tenant "Globex Corporation" only
    When I click Turn On for the main tenant
    Then ZPA is on for the main tenant and off for the partner tenant "Globex Corporation"
    And at no moment was ZPA on for more than one tenant

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:EX-PARTNER-ON @req:EX-ONE-ACTIVE
  Scenario Outline: Turn On for the partner tenant turns the main tenant off on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    And I have added the partner tenant "Globex Corporation" as "alice@globex.example"
    And ZPA is on for the main tenant only
    When I click Turn On for the partner tenant "Globex Corporation"
    Then ZPA is on for the partner tenant "Globex Corporation" and off for the main tenant
    And at no moment was ZPA on for more than one tenant

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:SWITCH-HOLDS
  Scenario Outline: Each switch holds when Private Access is opened again on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    And I have added the partner tenant "Globex Corporation" as "alice@globex.example"
    And ZPA is on for the partner tenant "Globex Corporation" only
    When I click Turn On for the main tenant
    And I click Close
    And I click Private Access
    Then the Private Access window opened again shows ZPA as the last switch left it
    When I click Turn On for the partner tenant "Globex Corporation"
    And I click Close
    And I click Private Access
    Then the Private Access window opened again shows ZPA as the last switch left it
    When I click Turn Off for the partner tenant "Globex Corporation"
    Then the partner tenant "Globex Corporation" is listed with ZPA off
    When I click Close
    And I click Private Access
    Then the Private Access window opened again shows ZPA as the last switch left it

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |
