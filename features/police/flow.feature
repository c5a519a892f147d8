# The order of work (digest 1.2, 1.3, 3, 6). Mandatory: Trinn 1 (registry) comes before Trinn 2,
# Accounts before the 2b endpoints, only the banks the registry named are contacted, each
# bank's base URL comes from Felles datakatalog, and each bank is called with a token for its
# own audience obtained with a valid JWT grant — these are "must" rules of the common standard
# and the police solution description.
Feature: Order of work, registry, catalogue and tokens

  # Two scenarios, so that a client breaking both rules fails each with its own rule.
  @mandatory @spec-1.2 @spec-3 @req-POLICE-STEP-ORDER
  Scenario: the registry is asked first and Accounts before the 2b calls
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-STEP-ORDER

  @mandatory @spec-1.2 @req-POLICE-REGISTRY-BANKS
  Scenario: only the banks the registry named are called
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-REGISTRY-BANKS

  @mandatory @spec-1.3 @req-POLICE-CATALOG
  Scenario: bank addresses come from Felles datakatalog
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-CATALOG

  @mandatory @spec-6.1 @spec-6.2 @spec-6.3 @req-POLICE-TOKEN-GRANT @req-POLICE-TOKEN-SCOPE @req-POLICE-TOKEN-AUDIENCE
  Scenario: each bank is called with a token for its own audience
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-TOKEN-GRANT
    And the police kept rule POLICE-TOKEN-SCOPE
    And the police kept rule POLICE-TOKEN-AUDIENCE

  @mandatory @spec-2.1 @spec-3.2 @req-POLICE-REQUEST-SCHEMA
  Scenario: every request conforms to the police request profile
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-REQUEST-SCHEMA
