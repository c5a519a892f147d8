# Transport and format rules of the Control API (digest 7.1, 7.2, 7.6). Mandatory: the common
# standard says "only GET is supported", that 200 bodies are JWE to the consumer's certificate
# and that errors are plain {code, message} JSON; 405/406 and their codes come from OpenAPI 2.0.0.
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

  @mandatory @spec-7.2 @req-BANK-ACCEPT @req-BANK-ERROR-BODY
  Scenario: an Accept the bank cannot serve is refused with 406 ACC-013
    Given an Accounts request for a synthetic person
    When the request is sent with Accept "text/html"
    Then the bank answers 406 with code ACC-013

  @mandatory @spec-7.6 @req-BANK-UNKNOWN-REFERENCE
  Scenario Outline: <endpoint> for an unknown account reference is 404
    Given a "<endpoint>" request for an account reference nobody issued
    When the request is sent
    Then the bank answers 404 with code <code>

    Examples:
      | endpoint        | code    |
      | account-details | ACC-002 |
      | transactions    | ACC-002 |
      | cards           | ACC-002 |
      | roles           | ACC-002 |

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
