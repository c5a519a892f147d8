# Headers and query parameters (digest 3.2.1, 3.2.2, 4.1-4.4).
# Answers. The police page's error codes for failed validations are in a PDF we do not have
# (digest 3.2.2); 7.6 says to follow HTTP status semantics and gives 400 ACC-001 for "bad request /
# invalid input". So a missing or malformed input is 400 ACC-001 (exact). Where a refusal can as
# well be read as "not authorised for the requested service" (7.6: 403 ACC-011) — the order
# missing, an AdditionalReferenceIDType or Legal-Mandate of another service — the rows accept
# "400 ACC-001 or 403 ACC-011"; our preference (400 ACC-001, the 5.6 hint for a missing order or
# pol1) is checked by the @strict "preferred status" tables (a warning).
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
  Scenario Outline: Accounts <change> is refused: <answer>
    Given an Accounts request for a synthetic person
    When the request is sent <change>
    Then the answer is "<answer>"

    @mandatory @req-BANK-HDR-MANDATORY
    Examples: mandatory headers and parameters missing
      | change                               | answer                     |
      | without header AccountInfoRequestID  | 400 ACC-001                |
      | without header CorrelationID         | 400 ACC-001                |
      | without header Legal-Mandate         | 400 ACC-001                |
      | without header PartyID               | 400 ACC-001                |
      | without query OnlyPrimaryOwner       | 400 ACC-001                |
      | without query fromDate               | 400 ACC-001                |
      | without query toDate                 | 400 ACC-001                |

    @mandatory @spec-4.2 @req-BANK-EO-PRESENT
    Examples: the extradition order missing
      | change                               | answer                     |
      | without header AdditionalReferenceID | 400 ACC-001 or 403 ACC-011 |

    @recommended @spec-4.3 @req-BANK-HDR-REQUESTER
    Examples: police musts: RequesterID
      | change                     | answer      |
      | without header RequesterID | 400 ACC-001 |
      | with header RequesterID "" | 400 ACC-001 |

    @recommended @spec-4.2 @req-BANK-HDR-REFTYPE
    Examples: police musts: pol1
      | change                                      | answer                     |
      | without header AdditionalReferenceIDType    | 400 ACC-001 or 403 ACC-011 |
      | with header AdditionalReferenceIDType "srf" | 400 ACC-001 or 403 ACC-011 |
      | with header AdditionalReferenceIDType "pol" | 400 ACC-001 or 403 ACC-011 |

    @recommended @spec-3.2.2 @req-BANK-HDR-UUID
    Examples: malformed UUIDs
      | change                                               | answer      |
      | with header AccountInfoRequestID "12345"             | 400 ACC-001 |
      | with header AccountInfoRequestID "not-a-uuid-at-all" | 400 ACC-001 |
      | with header CorrelationID "14fbc062-aacb-4449-93c1"  | 400 ACC-001 |

    @recommended @spec-4.1 @req-BANK-HDR-MANDATE
    Examples: Legal-Mandate unencoded or foreign
      | change                                                                              | answer                     |
      | with header Legal-Mandate "Straffeprosessloven §210 (3) første punktum"             | 400 ACC-001                |
      | with header Legal-Mandate "Straffeprosessloven%20%C2%A7%20210%20f%C3%B8rste%20ledd" | 400 ACC-001 or 403 ACC-011 |
      | with header Legal-Mandate "Hvitvaskingsloven%20%C2%A7%2026"                         | 400 ACC-001 or 403 ACC-011 |
      | with header Legal-Mandate "Konkursloven%20%C2%A7%20101"                             | 400 ACC-001 or 403 ACC-011 |

    @recommended @spec-3.2.2 @req-BANK-PARAM-PARTY
    Examples: PartyID malformed
      | change                            | answer      |
      | with header PartyID "12345678901" | 400 ACC-001 |
      | with header PartyID "ABC"         | 400 ACC-001 |

    @recommended @spec-3.2.2 @req-BANK-PARAM-OPO
    Examples: OnlyPrimaryOwner malformed
      | change                              | answer      |
      | with query OnlyPrimaryOwner "maybe" | 400 ACC-001 |

    @mandatory @spec-4.4 @req-BANK-PARAM-DATES
    Examples: dates malformed or reversed
      | change                           | answer      |
      | with query fromDate "01.01.2024" | 400 ACC-001 |
      | with query toDate "2024-13-01"   | 400 ACC-001 |
      | with query fromDate "yesterday"  | 400 ACC-001 |
      | with query toDate "$today-400d"  | 400 ACC-001 |

    @strict @spec-4.1 @spec-4.2 @spec-5.6 @req-BANK-REFUSAL-STATUS
    Examples: preferred status: order, reference type or mandate missing or foreign (ours: 400 ACC-001 invalid input, digest 5.6 hint and 7.6)
      | change                                                                              | answer      |
      | without header AdditionalReferenceID                                                | 400 ACC-001 |
      | without header AdditionalReferenceIDType                                            | 400 ACC-001 |
      | with header AdditionalReferenceIDType "srf"                                         | 400 ACC-001 |
      | with header AdditionalReferenceIDType "pol"                                         | 400 ACC-001 |
      | with header Legal-Mandate "Straffeprosessloven%20%C2%A7%20210%20f%C3%B8rste%20ledd" | 400 ACC-001 |
      | with header Legal-Mandate "Hvitvaskingsloven%20%C2%A7%2026"                         | 400 ACC-001 |
      | with header Legal-Mandate "Konkursloven%20%C2%A7%20101"                             | 400 ACC-001 |

  @spec-3.2.1
  Scenario Outline: Transactions <change> is refused: <answer>
    Given a "transactions" request for an account reference nobody issued
    When the request is sent <change>
    Then the answer is "<answer>"

    @mandatory @req-BANK-HDR-MANDATORY
    Examples:
      | change                                      | answer                     |
      | without header CorrelationID                | 400 ACC-001                |
      | without header Legal-Mandate                | 400 ACC-001                |
      | without query fromDate                      | 400 ACC-001                |
      | with header AdditionalReferenceIDType "srf" | 400 ACC-001 or 403 ACC-011 |

    @strict @spec-4.2 @req-BANK-REFUSAL-STATUS
    Examples: preferred status (ours: 400 ACC-001, digest 5.6 hint)
      | change                                      | answer      |
      | with header AdditionalReferenceIDType "srf" | 400 ACC-001 |

  @mandatory @spec-4.4 @req-BANK-PARAM-TEN-YEARS
  Scenario: a fromDate older than ten years is refused, even under an order that says so
    Given an Accounts request for a synthetic person
    And the period starts ten years and a day ago
    When the request is sent
    Then the bank refuses it with a client error
