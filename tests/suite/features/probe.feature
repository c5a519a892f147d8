# A feature that exercises the suite machinery itself (not DSOP rules): each scenario ends in a
# known way so the recorder and the verdict rules can be checked.
Feature: Suite machinery probe

  @mandatory @spec-7.1 @req-BANK-METHOD
  Scenario: a mandatory scenario that passes
    Given a step that passes
    Then a step that passes

  @recommended @spec-4.3
  Scenario: a recommended scenario that fails
    Given a step that passes
    Then a step that fails with "RequesterID missing"

  @mandatory @spec-5.6
  Scenario: a mandatory scenario that fails
    Given a step that fails with "403 expected, got 200"
    Then a step that passes

  @mandatory
  Scenario: a mandatory scenario with an undefined step
    Given a step nobody defined

  Scenario: a scenario without a level tag
    Given a step that passes
