Feature: Adding a partner tenant with the partner username
  The flow both the Windows and the macOS sections of the article document, when the settings give
  the user a username form: Private Access, Add Partner Tenant, username and Submit, the partner's
  identity provider, and back to Private Access with both tenants.

  @req:AT-OPEN @req:AT-USERNAME @req:IDP-PARTNER @req:IDP-RETURN @req:EX-PARTNER-OFF-MAIN @req:EX-ONE-ACTIVE
  Scenario Outline: Add a partner tenant by entering the partner username on <platform>
    Given "Acme Corp" allows its users to log in to other tenants
    And the app profile of "alice@acme.example" follows the global partner login setting
    And "Globex Corporation" allows partner logins from all tenants
    And Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    Then the Add Tenant window appears
    And the Add Tenant window asks for my username instead of listing partner tenants to select
    When I enter "alice@globex.example" as my username for the partner tenant
    Then the Add Tenant window offers Submit
    When I click Submit
    Then the identity provider page for the partner organisation "Globex Corporation" appears
    When I enter my credentials for the partner tenant and log in
    Then the Private Access window reappears and displays both my organisation's tenant "Acme Corp" and the partner tenant "Globex Corporation"
    And ZPA access to my organisation is turned off and the partner tenant "Globex Corporation" is on
    And at no moment was ZPA on for more than one tenant

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |

  @req:AT-NO-DOMAIN
  Scenario Outline: A username with no domain is refused with error 42001 on <platform>
    Given "Acme Corp" allows its users to log in to other tenants
    And the app profile of "alice@acme.example" follows the global partner login setting
    And "Globex Corporation" allows partner logins from all tenants
    And Zscaler Client Connector for <platform> is enrolled as "alice@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I enter "alice" as my username for the partner tenant
    And I click Submit
    Then the client shows error 42001 and opens no identity provider page
    When I click Cancel
    Then the partner tenant "Globex Corporation" is not listed and ZPA is still on for my organisation

    @platform:windows
    Examples: Windows
      | platform |
      | Windows  |

    @platform:macos
    Examples: macOS
      | platform |
      | macOS    |
