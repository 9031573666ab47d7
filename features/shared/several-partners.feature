Feature: More than one partner tenant
  Inferred: "ZPA keeps a separate tunnel per tenant and only one is active at a time" (Understanding
  Client Connector Support for Multiple Tenants). A second partner tenant is added as the first was,
  at its own identity provider; both stay listed, and Turn On moves the one tunnel from one partner
  tenant to the other (to and from the organisation's tenant is EX-MAIN-ON's and EX-PARTNER-ON's). One tunnel at a time (EX-ONE-ACTIVE) is watched in every scenario, these too.

  Background:
    Given "Acme Corp" allows its users to log in to other tenants
    And "Globex Corporation" allows partner logins from all tenants
    And "Initech" allows partner logins from all tenants

  @req:MULTI-PARTNER
  Scenario Outline: Add a second partner tenant and switch between the two partners on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    And I have added the partner tenant "Globex Corporation" as "alice@globex.example"
    When I click Add Partner Tenant
    And I enter "alice@initech.example" as my username for the partner tenant
    And I click Submit
    Then the identity provider page for the partner organisation "Initech" appears
    When I enter my credentials for the partner tenant and log in
    Then the Private Access window lists the partner tenants "Globex Corporation, Initech"
    And ZPA is off for the partner tenant "Globex Corporation"
    When I click Turn On for the partner tenant "Globex Corporation"
    Then ZPA is on for the partner tenant "Globex Corporation" and off for the partner tenant "Initech"
    When I click Turn On for the partner tenant "Initech"
    Then ZPA is on for the partner tenant "Initech" and off for the partner tenant "Globex Corporation"

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:MULTI-PARTNER
  Scenario Outline: Two partner tenants stay listed after Close and reopen, and after a restart, on <platform>
    Given Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    And I have added the partner tenant "Globex Corporation" as "alice@globex.example"
    And I have added the partner tenant "Initech" as "alice@initech.example"
    When I click Close
    And I click Private Access
    Then the partner tenants "Globex Corporation, Initech" are still listed
    When I restart Zscaler Client Connector
    And I open Zscaler Client Connector and click Private Access
    Then the partner tenants "Globex Corporation, Initech" are still listed

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |
