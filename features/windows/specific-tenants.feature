@platform:windows @min-version:4.7
Feature: Windows 4.7+: partners that admit specific tenants
  "Allow Partner Login to This Tenant" set to Specific Tenants admits the users of the listed
  primary tenants only; it needs Windows 4.7 or later (Enabling ZPA Partner Logins).

  Background:
    Given "Hooli" allows partner logins only from "acme.example"

  @req:PRE-PARTNER-SPECIFIC
  Scenario: A user of a listed tenant adds the partner tenant
    Given "Acme Corp" allows its users to log in to other tenants
    And Zscaler Client Connector for Windows is enrolled as "alice@acme.example"
    When I add the partner tenant "Hooli" as "alice@hooli.example"
    Then the Private Access window lists the partner tenant "Hooli"

  @req:PRE-PARTNER-SPECIFIC
  Scenario: A user of a tenant that is not listed is refused
    Given "Wayne Enterprises" does not allow its users to log in to other tenants
    And the app profile of "walter@wayne.example" allows partner logins
    And Zscaler Client Connector for Windows is enrolled as "walter@wayne.example"
    When I add the partner tenant "Hooli" as "walter@hooli.example"
    Then the client shows an error
    When I click Cancel
    Then the partner tenant "Hooli" is not listed and ZPA is still on for my organisation
