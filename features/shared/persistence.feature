Feature: The partner tenant remains on the Private Access window
  "After you have added the partner tenant, the partner tenant remains on this window."

  Background:
    Given "Acme Corp" allows its users to log in to other tenants
    And "Globex Corporation" allows partner logins from all tenants

  @req:PERSIST
  Scenario Outline: The partner tenant is still listed after Close and Private Access on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    And I have added the partner tenant "Globex Corporation" as "alice@globex.example"
    When I click Close
    And I click Private Access
    Then the partner tenant "Globex Corporation" is still listed

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:PERSIST-RESTART
  Scenario Outline: The partner tenant is still listed after Zscaler Client Connector restarts on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    And I have added the partner tenant "Globex Corporation" as "alice@globex.example"
    When I restart Zscaler Client Connector
    And I open Zscaler Client Connector and click Private Access
    Then the partner tenant "Globex Corporation" is still listed

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:PERSIST-RESTART
  Scenario Outline: Without ZPA of its own, the partner tenant is still listed after a restart on <platform>
    Given "Umbrella Health" does not use ZPA
    And "Umbrella Health" allows its users to log in to other tenants
    And Zscaler Client Connector for <platform> is enrolled as "uma@umbrella.example"
    And I have added the partner tenant "Globex Corporation" as "uma@globex.example"
    When I restart Zscaler Client Connector
    And I open Zscaler Client Connector and click Private Access
    Then the partner tenant "Globex Corporation" is still listed

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |
