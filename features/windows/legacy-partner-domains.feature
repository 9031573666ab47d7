@platform:windows @below-version:4.6
Feature: Windows before 4.6 ignores the app profile's partner domains
  Inferred from "If you use Zscaler Client Connector version 4.6 and later for Windows, your
  organization can enable partner logins by app profile and for specific domains."

  @req:PRE-LEGACY
  Scenario: The Add Tenant window asks for a username even when the app profile lists partner domains
    Given "Acme Corp" allows its users to log in to other tenants
    And the app profile of "amelia@acme.example" lists the partner domains "globex.example, hooli.example"
    And Zscaler Client Connector for Windows is enrolled as "amelia@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    Then the Add Tenant window asks for my username instead of listing partner tenants to select
