# Direct-call mode (digest 1.2: "consumers may also skip step 1 and call banks directly"; police
# integration testing does exactly that). Recommended and tagged @direct-call: an explicit
# variant a vendor supports or deselects (--tags 'not @direct-call'). The case names the banks
# in DSOP_DIRECT_BANKS; the implementation calls those banks (base URL still from the catalogue)
# and no other. (No @req- tags: the rules it checks are mandatory ones, covered by the mandatory
# scenarios of flow.feature; here they are checked in an optional mode.)
@direct-call
Feature: Direct calls without the registry

  @recommended @spec-1.2
  Scenario: a direct-call case contacts only the named bank
    Given a case for the multi-bank party
    And the case names bank 2 for a direct call
    When the police implementation runs the case
    Then the police kept rule POLICE-REGISTRY-BANKS
    And the police kept rule POLICE-CATALOG
    And the police broke no mandatory rule
    And the case result is complete and exact
