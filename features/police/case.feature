# Whole cases (digest 1.2, 1.3, 4.6, 4.7, 7.4). Mandatory: a police implementation exists to
# deliver each bank's data to the case handler; the result must hold exactly what the banks
# served, per bank, with partial answers and dataNotDelivered accounts reported as such, and
# the whole flow must break no mandatory rule. The showcase party reaches KAR and KFR banks, a
# bank answering partial (disposal rights, alternative 1), a dataNotDelivered account and an
# account with more than 1000 transactions in the period.
Feature: Whole cases

  @mandatory @spec-1.2 @spec-4.6 @spec-4.7 @spec-7.4 @req-POLICE-RESULT-COMPLETE @req-POLICE-RESULT-STATUS
  Scenario: a full case across several banks is complete and exact
    Given a case for the showcase party
    When the police implementation runs the case
    Then the case covered KAR and KFR banks, a partial answer, a dataNotDelivered account and more than 1000 transactions
    And the police broke no mandatory rule
    And the case result is complete and exact

  @mandatory @spec-1.2 @req-POLICE-RESULT-COMPLETE
  Scenario Outline: the case of the <party> party is complete and exact
    Given a case for the <party> party
    When the police implementation runs the case
    Then the police broke no mandatory rule
    And the case result is complete and exact

    @spec-1.3
    Examples: shielded person
      | party           |
      | shielded-person |

    @spec-3.4.4
    Examples: company
      | party                 |
      | company-with-accounts |

    @spec-4.5
    Examples: co-owner
      | party            |
      | co-owned-account |

    @spec-4.6
    Examples: disposal rights
      | party                         |
      | disposal-only-signal          |
      | owner-with-disposal-full-data |

  @mandatory @spec-3.4.1 @spec-4.6 @req-POLICE-RESULT-STATUS
  Scenario: a partial answer is reported as partial with the bank's message
    Given a case for the owner-with-disposal-signal party
    When the police implementation runs the case
    Then the case result is complete and exact
