Feature: Group status
  The status of a group tells which client is Primary, which one is about to
  take over (PendingPrimary), and up to when the Primary has processed data
  (LastDataProcessedTime), so a new Primary knows from where to backfill.

  Scenario: A group no client has joined has no primary and no time
    Given a failover group "A"
    When I get the status of group "A"
    Then the response status is 200
    And the response is a valid "GroupStatus"
    And the response has exactly the properties "Primary", "PendingPrimary" and "LastDataProcessedTime"
    And the response property "Primary" is null
    And the response property "PendingPrimary" is null
    And the response property "LastDataProcessedTime" is null

  Scenario: A group whose clients never sent a heartbeat has no primary
    Given a failover group "A"
    And clients "S1" and "S2" have joined group "A"
    When I get the status of group "A"
    Then the response status is 200
    And the response property "Primary" is null
    And the response property "PendingPrimary" is null
    And the response property "LastDataProcessedTime" is null

  Scenario: The first client to report healthy data is shown as Primary
    Given a failover group "A" with a failover timeout of "00:05:00"
    And client "S1" has joined group "A"
    And client "S1" sends a heartbeat with score 100 and last data processed at "2026-01-01T00:00:00Z"
    When I get the status of group "A"
    Then the response status is 200
    And the response is a valid "GroupStatus"
    And the response property "Primary" is "{S1}"
    And the response property "PendingPrimary" is null
    And the response property "LastDataProcessedTime" is "2026-01-01T00:00:00Z"

  Scenario: The status of a group that does not exist fails with 404
    When I get the status of group "Missing"
    Then the request fails with status 404

  Scenario: The status of a deleted group fails with 404
    Given a failover group "A"
    And I delete group "A"
    When I get the status of group "A"
    Then the request fails with status 404
