# Maskinporten access tokens (digest 6.1, 6.2). Mandatory: the common standard says the bank
# "must" validate signature, issuer, audience (= its catalogue base URL), scope, consumer and
# lifetime, and that a consumer must never get access without a valid token.
# Answers. The documents give no status per token failure; 7.6 gives 401 ACC-010 for "missing/
# invalid authentication information" and 403 ACC-011 for "consumer not authorised for the
# requested service". A missing, expired, future, badly signed, malformed or foreign-issuer token
# is not valid authentication information: 401 ACC-010 (exact). A genuine Maskinporten token for
# another audience, scope or consumer can be read either way, so those rows accept "401 ACC-010
# or 403 ACC-011"; our preference (audience 401, scope and consumer 403: RFC 6750 invalid_token /
# insufficient_scope; docs/mock-bank.md) is checked by the @strict "preferred status" table.
Feature: Access tokens

  @mandatory @spec-6.2 @req-BANK-TOKEN-PRESENT
  Scenario: a request without a token is refused
    Given an Accounts request for a synthetic person
    When the request is sent without a token
    Then the bank answers 401 with code ACC-010

  @spec-6.2
  Scenario Outline: a token that is <break> is refused: <answer>
    Given an Accounts request for a synthetic person
    When the request is sent with a token that is <break>
    Then the answer is "<answer>"

    @mandatory @req-BANK-TOKEN-EXPIRY
    Examples: lifetime
      | break            | answer      |
      | expired          | 401 ACC-010 |
      | issued-in-future | 401 ACC-010 |

    @mandatory @req-BANK-TOKEN-SIGNATURE
    Examples: signature
      | break               | answer      |
      | bad-signature       | 401 ACC-010 |
      | signed-by-other-key | 401 ACC-010 |
      | unknown-kid         | 401 ACC-010 |
      | alg-none            | 401 ACC-010 |
      | malformed           | 401 ACC-010 |

    @mandatory @req-BANK-TOKEN-ISSUER
    Examples: issuer
      | break          | answer      |
      | unknown-issuer | 401 ACC-010 |

    @mandatory @req-BANK-TOKEN-AUDIENCE
    Examples: audience
      | break          | answer                     |
      | wrong-audience | 401 ACC-010 or 403 ACC-011 |

    @mandatory @req-BANK-TOKEN-SCOPE
    Examples: scope
      | break       | answer                     |
      | wrong-scope | 401 ACC-010 or 403 ACC-011 |

    @mandatory @req-BANK-TOKEN-CONSUMER
    Examples: consumer
      | break          | answer                     |
      | wrong-consumer | 401 ACC-010 or 403 ACC-011 |

    @strict @req-BANK-REFUSAL-STATUS
    Examples: preferred status (ours: an invalid token 401, an unauthorised one 403; RFC 6750)
      | break          | answer      |
      | wrong-audience | 401 ACC-010 |
      | wrong-scope    | 403 ACC-011 |
      | wrong-consumer | 403 ACC-011 |
