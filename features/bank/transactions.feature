# Transactions and pagination (digest 3.2.1, 3.3.3, 3.4.9, 7.4, 8), compared with the fixture
# pack. Mandatory: the period is inclusive at both ends (3.2.1), booked and pending are
# distinguished (8), and large results "must" be paged with relative next links, at least 1000 a
# page, to the end (7.4). Data-exact: skipped (and reported) without --fixtures.
Feature: Transactions and pagination

  @mandatory @data-exact @spec-3.3.3 @spec-3.2.1 @req-BANK-PERIOD @req-BANK-DATA-EXACT
  Scenario Outline: Transactions for a <party>, period ending <days> days before the reference date
    Given a <party> with accounts at the bank
    And the period ends <days> days before the pack's reference date
    And a "transactions" request for one of its accounts
    When every page is fetched
    Then every transaction lies within the period
    And the transactions are those of the fixture pack

    Examples:
      | party   | days |
      | person  | 0    |
      | person  | 200  |
      | company | 0    |

  @mandatory @data-exact @spec-8 @spec-3.4.9 @req-BANK-DATA-EXACT
  Scenario Outline: Transactions for edge case <case> equal the fixture pack
    Given the party of edge case "<case>"
    And a "transactions" request for one of its accounts
    When every page is fetched
    Then every transaction lies within the period
    And the transactions are those of the fixture pack

    Examples:
      | case                 |
      | pending-transactions |
      | currency-exchange    |
      | card-transactions    |
      | closed-in-period     |

  @mandatory @data-exact @spec-3.2.1 @req-BANK-PERIOD @req-BANK-DATA-EXACT
  Scenario Outline: bookings on both ends of a period ending <days> days before the reference date are delivered, those a day outside are not
    Given the party of edge case "period-boundaries"
    And the period ends <days> days before the pack's reference date
    And a "transactions" request for one of its accounts
    When every page is fetched
    Then every transaction lies within the period
    And transactions booked on the period's first and last day are delivered
    And the transactions are those of the fixture pack

    Examples:
      | days |
      | 0    |
      | 90   |
      | 200  |

  @mandatory @data-exact @spec-7.4 @req-BANK-PAGINATION
  Scenario Outline: the <case> is paged to the end without gaps or duplicates
    Given the party of edge case "<case>"
    And a "transactions" request for one of its accounts
    When every page is fetched
    Then the result came in pages of at least 1000 transactions, the last without next
    And no transaction appears twice
    And the transactions are those of the fixture pack

    Examples:
      | case           |
      | paging-account |
      | large-account  |
