@cloud
Feature: Two revisions of the API on the same data
  The service is served under /api/v1-preview (the revision of the source
  documents) and under /api/v1 (the generally available revision). Both see
  the same groups and clients. The v1 revision adds AdditionalData to groups,
  calls the heartbeat's score FailoverScore (and requires it), calls the
  session's override RoleOverride, and answers 200 when the same group is
  posted twice.

  Rule: Groups are shared between the revisions

    Scenario: A group created under the preview is read under v1
      Given a failover group "A" with a failover timeout of "00:01:00"
      When I get group "A" through the v1 API
      Then the response status is 200
      And the response is a valid "GroupConfiguration"
      And the response is group "A" with a failover timeout of "00:01:00"
      And the response property "AdditionalData" is null

    Scenario: A group created under v1 is read under the preview
      When I create group "A" with a failover timeout of "00:02:00" through the v1 API
      Then the response status is 201
      And the response is a valid "GroupConfiguration"
      When I get group "A"
      Then the response status is 200
      And the response is group "A" with a failover timeout of "00:02:00"
      And the response has exactly the properties "Id", "Name", "Description" and "FailoverTimeout"
      When I list the groups through the v1 API
      Then the response lists the groups "A"

    Scenario: AdditionalData is kept with the group
      When I send PUT to "{v1}/clientfailover/groups/{A}" with the body:
        """
        {"FailoverTimeout": "00:01:00", "AdditionalData": {"Site": "North", "Lines": [1, 2]}}
        """
      Then the response status is 201
      And the response property "AdditionalData.Site" is "North"
      When I get group "A" through the v1 API
      Then the response property "AdditionalData" is {"Site": "North", "Lines": [1, 2]}

    Scenario: Replacing a group under the preview keeps its AdditionalData
      Given I send PUT to "{v1}/clientfailover/groups/{A}" with the body:
        """
        {"FailoverTimeout": "00:01:00", "AdditionalData": {"Site": "North"}}
        """
      When I put group "A" with a failover timeout of "00:02:00"
      Then the response status is 200
      When I get group "A" through the v1 API
      Then the response property "AdditionalData" is {"Site": "North"}
      And the response property "FailoverTimeout" is "00:02:00"

    Scenario: Posting the same group twice under v1 answers 200
      Given I create group "A" named "Line 1" with a failover timeout of "00:01:00" through the v1 API
      When I create group "A" named "Line 1" with a failover timeout of "00:01:00" through the v1 API
      Then the response status is 200
      And the response is group "A" with a failover timeout of "00:01:00"
      And the namespace has 1 group

    Scenario: Posting another group with the same Id under v1 fails with 409
      Given I create group "A" named "Line 1" with a failover timeout of "00:01:00" through the v1 API
      When I create group "A" named "Line 2" with a failover timeout of "00:01:00" through the v1 API
      Then the request fails with status 409
      When I create group "A" named "Line 1" with a failover timeout of "00:05:00" through the v1 API
      Then the request fails with status 409

    Scenario: Posting a group with the same Id and other AdditionalData under v1 fails with 409
      Given I send POST to "{v1}/clientfailover/groups" with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00", "AdditionalData": {"Site": "North"}}
        """
      When I send POST to "{v1}/clientfailover/groups" with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00", "AdditionalData": {"Site": "South"}}
        """
      Then the request fails with status 409
      When I send POST to "{v1}/clientfailover/groups" with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00", "AdditionalData": {"Site": "North"}}
        """
      Then the response status is 200

    Scenario: A group deleted under v1 is gone under the preview
      Given a failover group "A"
      When I delete group "A" through the v1 API
      Then the response status is 204
      And group "A" does not exist

  Rule: Clients may speak either revision

    Scenario: A v1 client reports a FailoverScore
      Given a failover group "A" with a failover timeout of "00:05:00"
      And client "S1" has joined group "A" through the v1 API
      When client "S1" sends a heartbeat with the body:
        """
        {"FailoverScore": 100}
        """
      Then the response status is 200
      And the heartbeat response tells "S1" it is Primary
      When I get client "S1"
      Then the response is a valid "ClientSession"
      And the response property "Heartbeat.FailoverScore" is 100
      And the response has exactly the properties "Id", "Name", "Heartbeat", "Role", "HeartbeatPosted", "RoleOverride", "RoleOverrideExpirationTime" and "AdditionalData"

    Scenario: A v1 heartbeat without a FailoverScore fails with 400
      Given a failover group "A" with a failover timeout of "00:05:00"
      And client "S1" has joined group "A" through the v1 API
      When client "S1" sends a heartbeat with the body:
        """
        {"FailoverStatus": 100}
        """
      Then the request fails with status 400
      When I get client "S1"
      Then the response property "HeartbeatPosted" is false

    Scenario: A session reads the same through both revisions
      Given a failover group "A" with a failover timeout of "00:05:00"
      And client "S1" has joined group "A"
      And client "S1" has sent a heartbeat with score 90
      And an operator forces client "S1" to Primary
      When I get client "S1" through the v1 API
      Then the response is a valid "ClientSession"
      And the response property "Heartbeat.FailoverScore" is 90
      And the response property "RoleOverride" is 1
      When I get client "S1"
      Then the response is a valid "ClientSession"
      And the response property "Heartbeat.FailoverStatus" is 90
      And the response property "Override" is 1

    @emulator
    Scenario: A preview client hands over to a v1 client in the same group
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And a failover group "A" with a failover timeout of "00:00:30"
      And client "S1" has joined group "A"
      And client "S2" has joined group "A" through the v1 API
      And client "S1" has sent a heartbeat with score 50
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is PendingPrimary
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is Primary
      And the group status shows "S2" as primary and no pending primary
      When I get the status of group "A" through the v1 API
      Then the response property "Primary" is "{S2}"
      When client "S1" sends a heartbeat with score 50
      Then the heartbeat response tells "S1" it is Secondary
      And the events show "S2" went from PendingPrimary to Primary by rule "HandOver"
