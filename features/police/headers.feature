# Header rules (digest 3.2.1, 4.1, 4.2, 4.3, 4.8, 7.8). Mandatory: CorrelationID, AccountInfoRequestID
# and Legal-Mandate are mandatory parameters whose format and meaning the common standard fixes;
# the police solution description says RequesterID "shall" be present, that every step-2 call
# carries the extradition order with AdditionalReferenceIDType pol1, and that registry calls do
# not. AccountInfoRequestID identical for all calls of the case is stated (digest 3.2.1);
# equal to the order's caseID is only implied (digest 4.8, 9 row 12) and therefore @strict. The
# suite hands the implementation DSOP_CASE_ID = caseID, so a client that uses it keeps both.
Feature: Headers of every request

  @mandatory @spec-3.2.1 @spec-7.8 @req-POLICE-HDR-CORRELATION
  Scenario: CorrelationID is a UUID unique per request
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-HDR-CORRELATION

  @mandatory @spec-3.2.1 @spec-7.8 @req-POLICE-HDR-CASE
  Scenario: AccountInfoRequestID is one UUID for the whole case
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-HDR-CASE

  # Implied, not stated (digest 4.8, 9 row 12): strict.
  @strict @spec-4.8 @req-POLICE-CASE-ORDER
  Scenario: AccountInfoRequestID equals the order's caseID
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-CASE-ORDER

  @mandatory @spec-4.1 @spec-5.6 @req-POLICE-HDR-MANDATE
  Scenario Outline: Legal-Mandate is URL-encoded and equal to the order's mandate (<mandate>)
    Given a case for the multi-bank party
    And <order>
    When the police implementation runs the case
    Then the police kept rule POLICE-HDR-MANDATE

    Examples:
      | mandate        | order                                             |
      | criminal case  | the order does not allow cards                    |
      | missing person | the order's mandate is the missing-person mandate |

  @mandatory @spec-4.3 @req-POLICE-HDR-REQUESTER
  Scenario: RequesterID is present and stable
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-HDR-REQUESTER

  @mandatory @spec-4.2 @req-POLICE-EO-STEP2 @req-POLICE-EO-NOT-REGISTRY @req-POLICE-HDR-REFTYPE
  Scenario: the order goes on every step-2 call with pol1 and never to the registry
    Given a case for the multi-bank party
    When the police implementation runs the case
    Then the police kept rule POLICE-EO-STEP2
    And the police kept rule POLICE-HDR-REFTYPE
    And the police kept rule POLICE-EO-NOT-REGISTRY
