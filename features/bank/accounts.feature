# Accounts (digest 3.3.1, 4.5, 4.6, 8): happy paths for persons and companies with both
# OnlyPrimaryOwner values, compared with the fixture pack. Mandatory: which accounts a party sees
# is what the police service delivers (4.5, 4.6: "must return"; 8: guarantors and co-borrowers).
# Data-exact: skipped (and reported) without --fixtures; an edge case at another bank of the pack
# is skipped with the bank to run against.
Feature: Accounts

  @mandatory @data-exact @spec-3.3.1 @spec-4.5 @req-BANK-DATA-EXACT @req-BANK-OPO-SEMANTICS
  Scenario Outline: Accounts for a <party> with OnlyPrimaryOwner <opo> equals the fixture pack
    Given a <party> with accounts at the bank
    And OnlyPrimaryOwner is <opo>
    When the request is sent
    Then the bank answers 200 with a conforming body
    And the accounts are those of the fixture pack

    Examples:
      | party   | opo   |
      | person  | TRUE  |
      | person  | FALSE |
      | company | TRUE  |
      | company | FALSE |

  @mandatory @data-exact @spec-4.5 @spec-8 @req-BANK-DATA-EXACT @req-BANK-OPO-SEMANTICS
  Scenario Outline: Accounts for edge case <case> with OnlyPrimaryOwner <opo> equals the fixture pack
    Given the party of edge case "<case>"
    And OnlyPrimaryOwner is <opo>
    When the request is sent
    Then the bank answers 200 with a conforming body
    And the accounts are those of the fixture pack

    Examples:
      | case                  | opo   |
      | co-owned-account      | TRUE  |
      | co-owned-account      | FALSE |
      | guarantor-only        | FALSE |
      | co-borrower           | FALSE |
      | d-number-holder       | FALSE |
      | closed-in-period      | FALSE |
      | reopened-account      | FALSE |
      | ownership-transferred | FALSE |
      | company-with-accounts | TRUE  |
      | data-not-delivered    | FALSE |

  @mandatory @data-exact @spec-3.4.5 @spec-7.10 @req-BANK-DATA-EXACT @req-BANK-PERIOD
  Scenario: an account closed on toDate is listed as closed that day
    Given the party of edge case "closed-on-to-date"
    And the period ends 200 days before the pack's reference date
    When the request is sent
    Then the bank answers 200 with a conforming body
    And the accounts are those of the fixture pack
