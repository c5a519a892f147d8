# Maskinporten access tokens (digest 6.1, 6.2). Mandatory: the common standard says the bank
# "must" validate signature, issuer, audience (= its catalogue base URL), scope, consumer and
# lifetime, and that a consumer must never get access without a valid token. Authentication
# failures are 401 ACC-010; a valid token for the wrong scope or consumer is 403 ACC-011
# (docs/mock-bank.md records the choice where the documents are silent).
Feature: Access tokens

  @mandatory @spec-6.2 @req-BANK-TOKEN-PRESENT
  Scenario: a request without a token is refused
    Given an Accounts request for a synthetic person
    When the request is sent without a token
    Then the bank answers 401 with code ACC-010

  @mandatory @spec-6.2
  Scenario Outline: a token that is <break> is refused
    Given an Accounts request for a synthetic person
    When the request is sent with a token that is <break>
    Then the bank answers <status> with code <code>

    @req-BANK-TOKEN-EXPIRY
    Examples: lifetime
      | break            | status | code    |
      | expired          | 401    | ACC-010 |
      | issued-in-future | 401    | ACC-010 |

    @req-BANK-TOKEN-SIGNATURE
    Examples: signature
      | break               | status | code    |
      | bad-signature       | 401    | ACC-010 |
      | signed-by-other-key | 401    | ACC-010 |
      | unknown-kid         | 401    | ACC-010 |
      | alg-none            | 401    | ACC-010 |
      | malformed           | 401    | ACC-010 |

    @req-BANK-TOKEN-ISSUER
    Examples: issuer
      | break          | status | code    |
      | unknown-issuer | 401    | ACC-010 |

    @req-BANK-TOKEN-AUDIENCE
    Examples: audience
      | break          | status | code    |
      | wrong-audience | 401    | ACC-010 |

    @req-BANK-TOKEN-SCOPE
    Examples: scope
      | break       | status | code    |
      | wrong-scope | 403    | ACC-011 |

    @req-BANK-TOKEN-CONSUMER
    Examples: consumer
      | break          | status | code    |
      | wrong-consumer | 403    | ACC-011 |
