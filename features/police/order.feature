# Requests within the extradition order (digest 4.4, 4.5, 5.6). Mandatory: the order is what the
# prosecution authority approved; the police solution description lets banks refuse (403
# ACC-011) any request outside it, so a client that asks for more than the order allows loses
# data and breaks the approval.
Feature: Requests stay within the extradition order

  @mandatory @spec-5.6 @req-POLICE-EO-FLAGS
  Scenario: endpoints the order does not allow are not called
    Given a case for the showcase party
    And the order does not allow cards
    And the order does not allow roles
    When the police implementation runs the case
    Then the police kept rule POLICE-EO-FLAGS
    And the police broke no mandatory rule
    And the case result is complete and exact

  @mandatory @spec-4.4 @spec-5.6 @req-POLICE-PERIOD @req-POLICE-PARTY
  Scenario: the period and party are the order's
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-PERIOD
    And the police kept rule POLICE-PARTY

  @mandatory @spec-4.5 @spec-5.6 @req-POLICE-OPO
  Scenario: onlyPrimaryOwner follows the order
    Given a case for the owner-with-disposal-full-data party
    And the order has onlyPrimaryOwner true
    When the police implementation runs the case
    Then the police kept rule POLICE-OPO
    And the police broke no mandatory rule
    And the case result is complete and exact
