# Headers and query parameters (digest 3.2.1, 3.2.2, 4.1-4.4). Every refusal is 400 ACC-001
# (7.6: bad request / invalid input).
# Mandatory: a missing mandatory input of the common standard (3.2.1: M), malformed or reversed
# dates (3.2.1, 4.4), and the ten-year limit (4.4; it is also the frame of the whole service,
# 1.2 "max 10 years back", and of the order, 5.5): a bank serving such a request delivers data
# outside the legal frame.
# Recommended: the value checks of the police validation table (3.2.2 "suggested validation":
# UUID syntax, PartyID/OnlyPrimaryOwner syntax, Legal-Mandate encoding and value, RequesterID,
# pol1). DSOP words them as suggestions to the bank; the matching police obligations (4.1-4.3)
# are mandatory in the police suite. A failure here is a warning.
Feature: Headers and parameters

  @spec-3.2.1
  Scenario Outline: Accounts <change> is refused with 400 ACC-001
    Given an Accounts request for a synthetic person
    When the request is sent <change>
    Then the bank answers 400 with code ACC-001

    @mandatory @req-BANK-HDR-MANDATORY
    Examples: mandatory headers and parameters missing
      | change                                 |
      | without header AccountInfoRequestID    |
      | without header CorrelationID           |
      | without header Legal-Mandate           |
      | without header PartyID                 |
      | without header AdditionalReferenceID   |
      | without query OnlyPrimaryOwner         |
      | without query fromDate                 |
      | without query toDate                   |

    @recommended @spec-4.2 @spec-4.3 @req-BANK-HDR-REQUESTER @req-BANK-HDR-REFTYPE
    Examples: police musts
      | change                                        |
      | without header RequesterID                    |
      | with header RequesterID ""                    |
      | without header AdditionalReferenceIDType      |
      | with header AdditionalReferenceIDType "srf"   |
      | with header AdditionalReferenceIDType "pol"   |

    @recommended @spec-3.2.2 @req-BANK-HDR-UUID
    Examples: malformed UUIDs
      | change                                                   |
      | with header AccountInfoRequestID "12345"                 |
      | with header AccountInfoRequestID "not-a-uuid-at-all"     |
      | with header CorrelationID "14fbc062-aacb-4449-93c1"      |

    @recommended @spec-4.1 @req-BANK-HDR-MANDATE
    Examples: Legal-Mandate unencoded or foreign
      | change                                                                                   |
      | with header Legal-Mandate "Straffeprosessloven §210 (3) første punktum"                  |
      | with header Legal-Mandate "Straffeprosessloven%20%C2%A7%20210%20f%C3%B8rste%20ledd"      |
      | with header Legal-Mandate "Hvitvaskingsloven%20%C2%A7%2026"                              |
      | with header Legal-Mandate "Konkursloven%20%C2%A7%20101"                                  |

    @recommended @spec-3.2.2 @req-BANK-PARAM-PARTY @req-BANK-PARAM-OPO
    Examples: PartyID and OnlyPrimaryOwner malformed
      | change                                  |
      | with header PartyID "12345678901"       |
      | with header PartyID "ABC"               |
      | with query OnlyPrimaryOwner "maybe"     |

    @mandatory @spec-4.4 @req-BANK-PARAM-DATES
    Examples: dates malformed or reversed
      | change                                   |
      | with query fromDate "01.01.2024"         |
      | with query toDate "2024-13-01"           |
      | with query fromDate "yesterday"          |
      | with query toDate "$today-400d"          |

  @mandatory @spec-3.2.1 @req-BANK-HDR-MANDATORY
  Scenario Outline: Transactions <change> is refused with 400 ACC-001
    Given a "transactions" request for an account reference nobody issued
    When the request is sent <change>
    Then the bank answers 400 with code ACC-001

    Examples:
      | change                                   |
      | without header CorrelationID             |
      | without header Legal-Mandate             |
      | without query fromDate                   |
      | with header AdditionalReferenceIDType "srf" |

  @mandatory @spec-4.4 @req-BANK-PARAM-TEN-YEARS
  Scenario: a fromDate older than ten years is refused, even under an order that says so
    Given an Accounts request for a synthetic person
    And the period starts ten years and a day ago
    When the request is sent
    Then the bank refuses it with a client error
