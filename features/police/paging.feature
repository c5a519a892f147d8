# Pagination and dataNotDelivered (digest 4.7, 7.4). Mandatory: a consumer must follow next links
# to the last page (their absence is the only end signal), and must not call the 2b endpoints
# with the literal accountReference dataNotDelivered.
Feature: Pagination and accounts without data

  @mandatory @spec-7.4 @req-POLICE-PAGINATION
  Scenario: next links are followed to the last page
    Given a case for the paging-account party
    When the police implementation runs the case
    Then the police kept rule POLICE-PAGINATION
    And the case result is complete and exact

  @mandatory @spec-4.7 @req-POLICE-DATA-NOT-DELIVERED
  Scenario: no 2b call is made for a dataNotDelivered account
    Given a case for the data-not-delivered party
    When the police implementation runs the case
    Then the police kept rule POLICE-DATA-NOT-DELIVERED
    And the case result is complete and exact
