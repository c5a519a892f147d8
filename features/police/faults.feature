# Banks that misbehave (digest 7.2, 7.4, 7.6). Mandatory: one bank's failure must not lose other
# banks' data and must be reported with its reason (the case result is the police's record),
# and a slow bank is waited for. Recommended: retrying 5xx/429 with backoff and never retrying
# 4xx — the common standard says clients "may" retry 5xx, so a client that gives up at once is
# warned, not failed.
Feature: Banks that fail, stall or break their links

  @mandatory @spec-7.6 @req-POLICE-FAULT-ISOLATION @req-POLICE-RESULT-STATUS
  Scenario Outline: a bank that keeps failing (<profile>) costs no other bank's data
    Given a case for the showcase party
    And bank 1 of the case has fault profile "<profile>"
    When the police implementation runs the case
    Then the police broke no mandatory rule
    And the case result is complete and exact

    Examples:
      | profile         |
      | server-error    |
      | rate-limited    |
      | malformed-json  |
      | jwe-wrong-key   |
      | connection-reset |

  @mandatory @spec-7.4 @spec-7.6 @req-POLICE-RESULT-STATUS
  Scenario: a broken next link is reported and the rest is kept
    Given a case for the paging-account party
    And bank 1 of the case has fault profile "broken-next-link"
    When the police implementation runs the case
    Then the police broke no mandatory rule
    And the case result is complete and exact

  @mandatory @spec-1.2 @req-POLICE-RESULT-COMPLETE
  Scenario: a slow bank is waited for
    Given a case for the multi-bank party
    And bank 2 of the case has fault profile "latency:2"
    When the police implementation runs the case
    Then the case result is complete and exact

  @recommended @spec-7.6 @req-POLICE-RETRY
  Scenario Outline: a bank failing once (<profile>) is retried
    Given a case for the multi-bank party
    And bank 1 of the case has fault profile "<profile>"
    When the police implementation runs the case
    Then the police kept rule POLICE-RETRY
    And the case result is complete and exact

    Examples:
      | profile        |
      | server-error:1 |
      | rate-limited:1 |

  @recommended @spec-7.6 @req-POLICE-RETRY
  Scenario: a client error is not retried
    Given a case for the paging-account party
    And bank 1 of the case has fault profile "broken-next-link"
    When the police implementation runs the case
    Then the police kept rule POLICE-RETRY
