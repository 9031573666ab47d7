@platform:windows @min-version:4.6
Feature: Windows 4.6+: the app profile's partner login setting
  "If you use Zscaler Client Connector version 4.6 and later for Windows, your organization can
  enable partner logins by app profile and for specific domains." The profile's own setting
  overrides the global one (Configuring Zscaler Client Connector App Profiles).

  @req:PRE-PROFILE
  Scenario: An app profile that allows partner logins wins over a global setting that does not
    Given "Wayne Enterprises" does not allow its users to log in to other tenants
    And the app profile of "walter@wayne.example" allows partner logins
    And Zscaler Client Connector for Windows is enrolled as "walter@wayne.example"
    When I open Zscaler Client Connector and click Private Access
    Then the Private Access window shows the Add Partner Tenant link

  @req:PRE-PROFILE
  Scenario: An app profile that does not allow partner logins wins over a global setting that does
    Given "Acme Corp" allows its users to log in to other tenants
    And the app profile of "arthur@acme.example" does not allow partner logins
    And Zscaler Client Connector for Windows is enrolled as "arthur@acme.example"
    When I open Zscaler Client Connector and click Private Access
    Then the Private Access window does not show the Add Partner Tenant link
