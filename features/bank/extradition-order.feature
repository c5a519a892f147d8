# The extradition-order matrix (digest 5.5, 5.6, 5.7): ONE scenario outline whose Examples tables
# are the matrix DSOP forvaltning reads. Each row: the order (`valid`, a named variation, or a
# break of `dsop-harness eo breaks`), the endpoint called, the request (matching the order, or one
# named deviation), and the answer a conformant bank gives.
#
# Answers. The documents state ONE status: a call to an endpoint whose flag is false is refused
# with 403 ACC-011 (digest 5.6); those rows are exact. For every other failure (format,
# signature, chain, subject, content, party/mandate/period/onlyPrimaryOwner mismatch) the status
# is UNKNOWN (digest 5.6 last paragraph, 9 row 7: in the missing PDF), so the mandatory and
# recommended rows accept "400 ACC-001 or 403 ACC-011": a refusal with an unencrypted DSOP error
# body {code, message} whose (status, code) is one of the two pairs the digest names for refused
# requests (7.6: 400 ACC-001 bad request / invalid input; 403 ACC-011 not authorised; 9 row 7).
# Our preferred reading — 400 ACC-001 for an order that is malformed or incomplete, 403 ACC-011
# for one that is well-formed but not acceptable (the 5.6 / 9 row 7 hint; a wrong alg counts as
# well-formed but unacceptable, docs/extradition-orders.md) — is checked by the @strict tables
# "preferred status: ..." at the end: a failure there is a warning (an error with --strict).
# Order variations and request deviations are listed in src/bank_suite/orders.rs; a test
# (tests/bank_suite) fails when a break has no row here. docs/open-points.md lists every rule
# with the sentence it rests on and the readings accepted.
#
# Mandatory: the police page makes the order the bank's proof that the prosecution authority
# approved each request (5.1) and prescribes how to verify it (5.5 steps 1-6: format, key,
# chain, subject, signature; 5.6: the request against the order, endpoint flags); a bank that
# serves data under an order it did not verify hands data out without legal basis.
# Recommended: the content checks of 5.5 (legal basis pair, fromDate in the order, lifetime and
# expiry), which the digest calls "recommended after a valid signature": a failure is a warning.
# The caseID row is @strict: the documents imply the check (4.8, 9 row 12) but do not list it.
# Certificate rows sign with flawed certificates of the trust directory; the bank reaches the
# OU/CN/validity check only if it trusts <trust-dir>/bank-suite/flawed-jwks.json as well
# (docs/bank-vendors.md), otherwise it rejects the unknown kid (also a refusal).
Feature: Extradition order

  Scenario Outline: order <order>, <endpoint> request <request>: <answer>
    Given a "<endpoint>" request under an order that is "<order>"
    And the request is "<request>"
    When the request is sent
    Then the answer is "<answer>"

    @mandatory @spec-5.3 @spec-5.5 @req-BANK-EO-FORMAT
    Examples: format, header and payload fields
      | order                              | endpoint | request    | answer                     |
      | not-three-segments                 | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | bad-base64                         | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | header-not-json                    | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | payload-not-json                   | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | wrong-alg                          | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | alg-none                           | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | wrong-typ                          | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-alg                        | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-typ                        | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-kid                        | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | wrong-version                      | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | non-uuid-extradition-order-id      | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | non-uuid-case-id                   | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | bad-party-id                       | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | bad-date-format                    | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | bad-approval-timestamp             | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | exp-not-integer                    | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | flag-not-boolean                   | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | period-inverted                    | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-extraditionOrderID         | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-version                    | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-partyID                    | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-mandate                    | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-reason                     | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-fromDate                   | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-toDate                     | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-onlyPrimaryOwner           | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-accountList                | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-accountDetails             | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-transactions               | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-cards                      | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-roles                      | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-district                   | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-district.districtID        | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-district.districtLabel     | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-approval                   | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-approval.approvedByID      | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-approval.approvedByName    | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-approval.approvedByRole    | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-approval.approvalTimestamp | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-caseID                     | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-exp                        | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |

    @mandatory @spec-5.5 @req-BANK-EO-SIGNATURE
    Examples: signature
      | order               | endpoint | request    | answer                     |
      | unknown-kid         | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | bad-signature       | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | garbage-signature   | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | signed-by-other-key | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |

    @mandatory @spec-5.5 @req-BANK-EO-CHAIN
    Examples: certificate chain and validity
      | order                | endpoint | request    | answer                     |
      | unrelated-root       | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-intermediate | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | expired-cert         | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | not-yet-valid-cert   | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |

    @mandatory @spec-5.5 @req-BANK-EO-SUBJECT
    Examples: certificate subject
      | order    | endpoint | request    | answer                     |
      | wrong-ou | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | wrong-cn | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |

    @recommended @spec-5.4 @spec-5.5 @req-BANK-EO-CONTENT
    Examples: legal basis
      | order                                  | endpoint | request    | answer                     |
      | wrong-mandate                          | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | mandate-url-encoded                    | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | wrong-reason                           | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | crossed-pair                           | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | missing-person-mandate-criminal-reason | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |

    @recommended @spec-4.4 @spec-5.5 @req-BANK-EO-CONTENT
    Examples: period in the order
      | order             | endpoint | request    | answer                     |
      | from-date-too-old | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |

    @recommended @spec-5.5 @req-BANK-EO-CONTENT
    Examples: lifetime and expiry
      | order                 | endpoint | request    | answer                     |
      | lifetime-over-90-days | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | expired               | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | not-yet-valid         | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |
      | exp-before-approval   | accounts | as-ordered | 400 ACC-001 or 403 ACC-011 |

    @mandatory @spec-5.5 @spec-5.6 @req-BANK-EO-ENDPOINT
    Examples: accountList
      | order                 | endpoint | request    | answer      |
      | account-list-false    | accounts | as-ordered | 403 ACC-011 |
      | account-details-false | accounts | as-ordered | 200         |
      | transactions-false    | accounts | as-ordered | 200         |
      | cards-false           | accounts | as-ordered | 200         |
      | roles-false           | accounts | as-ordered | 200         |

    @mandatory @spec-5.1 @spec-5.6 @req-BANK-EO-VALID-SERVED
    Examples: valid orders are served
      | order                   | endpoint | request      | answer |
      | valid                   | accounts | as-ordered   | 200    |
      | missing-person          | accounts | as-ordered   | 200    |
      | lifetime-90-days        | accounts | as-ordered   | 200    |
      | valid                   | accounts | inside-order | 200    |
      | valid                   | accounts | opo-true     | 200    |
      | valid                   | accounts | opo-false    | 200    |
      | only-primary-owner-true | accounts | opo-true     | 200    |

    # Valid under our reading of an open point, so @strict: whether the order in the header is
    # additionally percent-encoded is unknown (digest 9 row 14; a bank taking the header as the
    # JWS it is may refuse %2E), and the ten-year arithmetic is unspecified (4.4, 9 row 17; ours:
    # the same calendar day ten years back is still inside).
    @strict @spec-4.4 @spec-5.1 @spec-9 @req-BANK-OPEN-READINGS
    Examples: valid orders under our reading of an open point
      | order               | endpoint | request    | answer |
      | percent-encoded     | accounts | as-ordered | 200    |
      | from-date-ten-years | accounts | as-ordered | 200    |

    @mandatory @spec-5.6 @req-BANK-EO-PARTY
    Examples: request against the order: party
      | order | endpoint | request     | answer                     |
      | valid | accounts | other-party | 400 ACC-001 or 403 ACC-011 |

    @mandatory @spec-5.6 @req-BANK-EO-MANDATE
    Examples: request against the order: mandate
      | order          | endpoint | request       | answer                     |
      | valid          | accounts | other-mandate | 400 ACC-001 or 403 ACC-011 |
      | missing-person | accounts | other-mandate | 400 ACC-001 or 403 ACC-011 |

    @mandatory @spec-5.6 @req-BANK-EO-PERIOD
    Examples: request against the order: period
      | order | endpoint | request           | answer                     |
      | valid | accounts | from-before-order | 400 ACC-001 or 403 ACC-011 |
      | valid | accounts | to-after-order    | 400 ACC-001 or 403 ACC-011 |

    @mandatory @spec-5.6 @req-BANK-EO-OPO
    Examples: request against the order: onlyPrimaryOwner
      | order                   | endpoint | request   | answer                     |
      | only-primary-owner-true | accounts | opo-false | 400 ACC-001 or 403 ACC-011 |

    @mandatory @data-exact @spec-5.6 @req-BANK-EO-ENDPOINT
    Examples: endpoint flags on 2b calls (need an account of the fixture pack)
      | order                 | endpoint        | request    | answer      |
      | account-details-false | account-details | as-ordered | 403 ACC-011 |
      | transactions-false    | transactions    | as-ordered | 403 ACC-011 |
      | cards-false           | cards           | as-ordered | 403 ACC-011 |
      | roles-false           | roles           | as-ordered | 403 ACC-011 |

    @mandatory @data-exact @spec-5.1 @spec-5.6 @req-BANK-EO-VALID-SERVED
    Examples: valid orders on 2b calls (need an account of the fixture pack)
      | order              | endpoint        | request    | answer |
      | valid              | account-details | as-ordered | 200    |
      | valid              | transactions    | as-ordered | 200    |
      | valid              | cards           | as-ordered | 200    |
      | valid              | roles           | as-ordered | 200    |
      | transactions-false | account-details | as-ordered | 200    |

    @mandatory @data-exact @spec-5.6 @req-BANK-EO-PARTY
    Examples: party on 2b calls (need an account of the fixture pack)
      | order | endpoint     | request     | answer                     |
      | valid | transactions | other-party | 400 ACC-001 or 403 ACC-011 |

    @mandatory @data-exact @spec-5.6 @req-BANK-EO-PERIOD
    Examples: period on 2b calls (need an account of the fixture pack)
      | order | endpoint | request           | answer                     |
      | valid | roles    | from-before-order | 400 ACC-001 or 403 ACC-011 |

    @mandatory @data-exact @spec-5.5 @req-BANK-EO-SIGNATURE
    Examples: signature on 2b calls (need an account of the fixture pack)
      | order         | endpoint | request    | answer                     |
      | bad-signature | cards    | as-ordered | 400 ACC-001 or 403 ACC-011 |

    @strict @spec-4.8 @req-BANK-EO-CASE
    Examples: case number (caseID = AccountInfoRequestID)
      | order | endpoint | request       | answer      |
      | valid | accounts | other-case-id | 403 ACC-011 |

    @strict @spec-5.3 @spec-5.5 @req-BANK-REFUSAL-STATUS
    Examples: preferred status: format, header and payload fields
      | order                              | endpoint | request    | answer      |
      | not-three-segments                 | accounts | as-ordered | 400 ACC-001 |
      | bad-base64                         | accounts | as-ordered | 400 ACC-001 |
      | header-not-json                    | accounts | as-ordered | 400 ACC-001 |
      | payload-not-json                   | accounts | as-ordered | 400 ACC-001 |
      | wrong-alg                          | accounts | as-ordered | 403 ACC-011 |
      | alg-none                           | accounts | as-ordered | 403 ACC-011 |
      | wrong-typ                          | accounts | as-ordered | 400 ACC-001 |
      | missing-alg                        | accounts | as-ordered | 400 ACC-001 |
      | missing-typ                        | accounts | as-ordered | 400 ACC-001 |
      | missing-kid                        | accounts | as-ordered | 400 ACC-001 |
      | wrong-version                      | accounts | as-ordered | 400 ACC-001 |
      | non-uuid-extradition-order-id      | accounts | as-ordered | 400 ACC-001 |
      | non-uuid-case-id                   | accounts | as-ordered | 400 ACC-001 |
      | bad-party-id                       | accounts | as-ordered | 400 ACC-001 |
      | bad-date-format                    | accounts | as-ordered | 400 ACC-001 |
      | bad-approval-timestamp             | accounts | as-ordered | 400 ACC-001 |
      | exp-not-integer                    | accounts | as-ordered | 400 ACC-001 |
      | flag-not-boolean                   | accounts | as-ordered | 400 ACC-001 |
      | period-inverted                    | accounts | as-ordered | 400 ACC-001 |
      | missing-extraditionOrderID         | accounts | as-ordered | 400 ACC-001 |
      | missing-version                    | accounts | as-ordered | 400 ACC-001 |
      | missing-partyID                    | accounts | as-ordered | 400 ACC-001 |
      | missing-mandate                    | accounts | as-ordered | 400 ACC-001 |
      | missing-reason                     | accounts | as-ordered | 400 ACC-001 |
      | missing-fromDate                   | accounts | as-ordered | 400 ACC-001 |
      | missing-toDate                     | accounts | as-ordered | 400 ACC-001 |
      | missing-onlyPrimaryOwner           | accounts | as-ordered | 400 ACC-001 |
      | missing-accountList                | accounts | as-ordered | 400 ACC-001 |
      | missing-accountDetails             | accounts | as-ordered | 400 ACC-001 |
      | missing-transactions               | accounts | as-ordered | 400 ACC-001 |
      | missing-cards                      | accounts | as-ordered | 400 ACC-001 |
      | missing-roles                      | accounts | as-ordered | 400 ACC-001 |
      | missing-district                   | accounts | as-ordered | 400 ACC-001 |
      | missing-district.districtID        | accounts | as-ordered | 400 ACC-001 |
      | missing-district.districtLabel     | accounts | as-ordered | 400 ACC-001 |
      | missing-approval                   | accounts | as-ordered | 400 ACC-001 |
      | missing-approval.approvedByID      | accounts | as-ordered | 400 ACC-001 |
      | missing-approval.approvedByName    | accounts | as-ordered | 400 ACC-001 |
      | missing-approval.approvedByRole    | accounts | as-ordered | 400 ACC-001 |
      | missing-approval.approvalTimestamp | accounts | as-ordered | 400 ACC-001 |
      | missing-caseID                     | accounts | as-ordered | 400 ACC-001 |
      | missing-exp                        | accounts | as-ordered | 400 ACC-001 |

    @strict @spec-5.5 @req-BANK-REFUSAL-STATUS
    Examples: preferred status: signature and certificate
      | order                | endpoint | request    | answer      |
      | unknown-kid          | accounts | as-ordered | 403 ACC-011 |
      | bad-signature        | accounts | as-ordered | 403 ACC-011 |
      | garbage-signature    | accounts | as-ordered | 403 ACC-011 |
      | signed-by-other-key  | accounts | as-ordered | 403 ACC-011 |
      | unrelated-root       | accounts | as-ordered | 403 ACC-011 |
      | missing-intermediate | accounts | as-ordered | 403 ACC-011 |
      | wrong-ou             | accounts | as-ordered | 403 ACC-011 |
      | wrong-cn             | accounts | as-ordered | 403 ACC-011 |
      | expired-cert         | accounts | as-ordered | 403 ACC-011 |
      | not-yet-valid-cert   | accounts | as-ordered | 403 ACC-011 |

    @strict @spec-5.4 @spec-5.5 @req-BANK-REFUSAL-STATUS
    Examples: preferred status: legal basis
      | order                                  | endpoint | request    | answer      |
      | wrong-mandate                          | accounts | as-ordered | 403 ACC-011 |
      | mandate-url-encoded                    | accounts | as-ordered | 403 ACC-011 |
      | wrong-reason                           | accounts | as-ordered | 403 ACC-011 |
      | crossed-pair                           | accounts | as-ordered | 403 ACC-011 |
      | missing-person-mandate-criminal-reason | accounts | as-ordered | 403 ACC-011 |

    @strict @spec-4.4 @spec-5.5 @req-BANK-REFUSAL-STATUS
    Examples: preferred status: period in the order
      | order             | endpoint | request    | answer      |
      | from-date-too-old | accounts | as-ordered | 403 ACC-011 |

    @strict @spec-5.5 @req-BANK-REFUSAL-STATUS
    Examples: preferred status: lifetime and expiry
      | order                 | endpoint | request    | answer      |
      | lifetime-over-90-days | accounts | as-ordered | 403 ACC-011 |
      | expired               | accounts | as-ordered | 403 ACC-011 |
      | not-yet-valid         | accounts | as-ordered | 403 ACC-011 |
      | exp-before-approval   | accounts | as-ordered | 403 ACC-011 |

    @strict @spec-5.6 @req-BANK-REFUSAL-STATUS
    Examples: preferred status: request against the order
      | order                   | endpoint | request           | answer      |
      | valid                   | accounts | other-party       | 403 ACC-011 |
      | valid                   | accounts | other-mandate     | 403 ACC-011 |
      | missing-person          | accounts | other-mandate     | 403 ACC-011 |
      | valid                   | accounts | from-before-order | 403 ACC-011 |
      | valid                   | accounts | to-after-order    | 403 ACC-011 |
      | only-primary-owner-true | accounts | opo-false         | 403 ACC-011 |

    @strict @data-exact @spec-5.6 @req-BANK-REFUSAL-STATUS
    Examples: preferred status: party, period and order on 2b calls (need an account of the fixture pack)
      | order         | endpoint     | request           | answer      |
      | valid         | transactions | other-party       | 403 ACC-011 |
      | valid         | roles        | from-before-order | 403 ACC-011 |
      | bad-signature | cards        | as-ordered        | 403 ACC-011 |
