@platform:macos
Feature: macOS offers only the username form
  The macOS section of the article documents a single Add Tenant step: "In the Add Tenant window,
  enter your username for the partner tenant and click Submit."

  @req:AT-MAC-NO-SELECT
  Scenario: The Add Tenant window asks for a username even when the app profile lists partner domains
    Given "Acme Corp" allows its users to log in to other tenants
    And the app profile of "amelia@acme.example" lists the partner domains "globex.example, hooli.example"
    And Zscaler Client Connector for macOS is enrolled as "amelia@acme.example"
    When I open Zscaler Client Connector and click Private Access
    And I click Add Partner Tenant
    Then the Add Tenant window asks for my username instead of listing partner tenants to select
    When I enter "amelia@globex.example" as my username for the partner tenant
    Then the Add Tenant window offers Submit
