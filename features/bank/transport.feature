# Transport and format rules of the Control API (digest 7.1, 7.2, 7.6). Mandatory: the common
# standard says "only GET is supported", that 200 bodies are JWE to the consumer's certificate
# and that errors are plain {code, message} JSON; 405 ACC-012 comes from OpenAPI 2.0.0. Where
# the answer is open (406 is a hint, the 404 code split is unknown) mandatory accepts every
# reading and a @strict scenario checks ours.
# Every response in every scenario is also checked against the schemas when it arrives.
Feature: Transport and format

  @mandatory @spec-7.2 @req-BANK-JWE @req-BANK-SCHEMA
  Scenario: Accounts answers 200 with a JWE body that decrypts and conforms
    Given an Accounts request for a synthetic person
    When the request is sent with Accept "application/jose"
    Then the bank answers 200 with a conforming body
    And the body was encrypted to the police certificate

  @mandatory @spec-7.1 @req-BANK-METHOD @req-BANK-ERROR-BODY
  Scenario Outline: a <method> is refused with 405 ACC-012
    Given an Accounts request for a synthetic person
    When the request is sent with method <method>
    Then the bank answers 405 with code ACC-012

    Examples:
      | method |
      | POST   |
      | PUT    |
      | DELETE |
      | PATCH  |

  # Digest 7.2 marks 406 ACC-013 for an unservable Accept as a [HINT] ("presumably"), and HTTP
  # lets a server disregard Accept (RFC 9110 12.5.1): mandatory accepts 406 ACC-013 or a 200
  # served as it would be without the header (a JWE, checked on arrival); 406 is our preference.
  @mandatory @spec-7.2 @req-BANK-ACCEPT @req-BANK-ERROR-BODY
  Scenario: an Accept the bank cannot serve is refused with 406 ACC-013 or ignored
    Given an Accounts request for a synthetic person
    When the request is sent with Accept "text/html"
    Then the answer is "406 ACC-013 or 200"

  @strict @spec-7.2 @req-BANK-REFUSAL-STATUS
  Scenario: an Accept the bank cannot serve is refused with 406 ACC-013
    Given an Accounts request for a synthetic person
    When the request is sent with Accept "text/html"
    Then the bank answers 406 with code ACC-013

  # Digest 7.6: 404 with ACC-002 or ACC-003 on the four /accounts/{accountReference} endpoints;
  # which code for which case is UNKNOWN, so mandatory accepts both; ACC-002 is our preference.
  @spec-7.6
  Scenario Outline: <endpoint> for an unknown account reference is 404: <answer>
    Given a "<endpoint>" request for an account reference nobody issued
    When the request is sent
    Then the answer is "<answer>"

    @mandatory @req-BANK-UNKNOWN-REFERENCE
    Examples:
      | endpoint        | answer                     |
      | account-details | 404 ACC-002 or 404 ACC-003 |
      | transactions    | 404 ACC-002 or 404 ACC-003 |
      | cards           | 404 ACC-002 or 404 ACC-003 |
      | roles           | 404 ACC-002 or 404 ACC-003 |

    @strict @req-BANK-REFUSAL-STATUS
    Examples: preferred code
      | endpoint        | answer      |
      | account-details | 404 ACC-002 |
      | transactions    | 404 ACC-002 |
      | cards           | 404 ACC-002 |
      | roles           | 404 ACC-002 |

  @mandatory @spec-4.7 @spec-3.4.3 @req-BANK-UNKNOWN-REFERENCE
  Scenario Outline: <endpoint> for accountReference dataNotDelivered is refused
    Given a "<endpoint>" request for account reference "dataNotDelivered"
    When the request is sent
    Then the bank refuses it with a client error

    Examples:
      | endpoint        |
      | account-details |
      | transactions    |
      | cards           |
      | roles           |
