@platform:windows @min-version:4.6
Feature: Windows 4.6+: selecting the partner tenant, then the username
  "Based on your organization's partner tenant settings, you are prompted to complete one of the
  following steps: [...] In the Add Tenant window: Select the partner tenant to access and click
  Connect. Enter your username for the partner tenant, and click Submit."

  Background:
    Given "Acme Corp" allows its users to log in to other tenants
    And the app profile of "amelia@acme.example" lists the partner domains "globex.example, hooli.example"

  @req:AT-SELECT @req:IDP-PARTNER @req:IDP-RETURN
  Scenario Outline: Select the partner tenant <partner>, click Connect, then enter the username and Submit
    Given "<partner>" allows partner logins from all tenants
    And Zscaler Client Connector for Windows is enrolled as "amelia@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    Then the Add Tenant window offers the partner tenants "Globex Corporation, Hooli" to select
    When I select the partner tenant "<partner>"
    Then the Add Tenant window offers Connect
    When I click Connect
    Then the Add Tenant window asks for my username for the partner tenant
    When I enter "<username>" as my username for the partner tenant
    Then the Add Tenant window offers Submit
    When I click Submit
    Then the client goes on to the sign-in for the selected partner tenant "<partner>"
    And the identity provider page for the partner organisation "<partner>" appears
    When I enter my credentials for the partner tenant and log in
    Then the Private Access window reappears and displays both my organisation's tenant "Acme Corp" and the partner tenant "<partner>"

    # Every partner tenant the window offers, not only the first: a client that connects another one
    # than the selected is caught on the rows after the first.
    Examples: each offered partner tenant in turn
      | partner            | username              |
      | Globex Corporation | amelia@globex.example |
      | Hooli              | amelia@hooli.example  |

  @req:PRE-DOMAIN
  Scenario: A partner tenant outside the app profile's partner domains cannot be added
    Given "Vandelay Industries" allows partner logins from all tenants
    And Zscaler Client Connector for Windows is enrolled as "amelia@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    Then the Add Tenant window offers the partner tenants "Globex Corporation, Hooli" to select
    When I select the partner tenant "Globex Corporation"
    And I click Connect
    And I enter "amelia@vandelay.example" as my username for the partner tenant
    And I click Submit
    Then the client shows error 42035 and opens no identity provider page
    When I click Cancel
    Then the partner tenant "Vandelay Industries" is not listed and ZPA is still on for my organisation

  @req:AT-NO-DOMAIN
  Scenario: A username with no domain is refused with error 42001 after Connect
    Given "Globex Corporation" allows partner logins from all tenants
    And Zscaler Client Connector for Windows is enrolled as "amelia@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I select the partner tenant "Globex Corporation"
    And I click Connect
    And I enter "amelia" as my username for the partner tenant
    And I click Submit
    Then the client shows error 42001 and opens no identity provider page
    When I click Cancel
    Then the partner tenant "Globex Corporation" is not listed and ZPA is still on for my organisation

  @req:RETRY
  Scenario: After error 42035, a corrected username in the same window goes on to the sign-in
    Given "Vandelay Industries" allows partner logins from all tenants
    And "Globex Corporation" allows partner logins from all tenants
    And Zscaler Client Connector for Windows is enrolled as "amelia@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    And I select the partner tenant "Globex Corporation"
    And I click Connect
    And I enter "amelia@vandelay.example" as my username for the partner tenant
    And I click Submit
    And I enter "amelia@globex.example" as my username for the partner tenant
    And I click Submit
    Then the client opens the sign-in for the partner tenant "Globex Corporation"
