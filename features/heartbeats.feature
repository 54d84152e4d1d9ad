Feature: Heartbeats
  Every client of a group sends heartbeats: its failover score (the
  percentage, 0 to 100, of its data sources that are healthy), the time up to
  which it processed data and its own clock. The answer tells the client its
  role and the group's LastDataProcessedTime.

  Background:
    Given a failover group "A" with a failover timeout of "00:05:00"
    And client "S1" has joined group "A"

  Rule: Post Heartbeat Message accepts a heartbeat

    Scenario: A heartbeat is answered with the client's role
      When client "S1" sends a heartbeat with score 100
      Then the response status is 200
      And the response is a valid "FailoverResponse"
      And the response has exactly the properties "Role" and "LastDataProcessedTime"
      And the heartbeat response tells "S1" it is Primary

    Scenario: The session shows the latest heartbeat
      When client "S1" sends a heartbeat with the body:
        """
        {"{score}": 75.5, "LastDataProcessedTime": "2026-01-01T10:00:00Z", "HeartbeatTime": "2026-01-01T10:00:05Z"}
        """
      Then the response status is 200
      When I get client "S1"
      Then the response is a valid "ClientSession"
      And the response property "HeartbeatPosted" is true
      And the response property "Heartbeat.{score}" is 75.5
      And the response property "Heartbeat.LastDataProcessedTime" is "2026-01-01T10:00:00Z"
      And the response property "Heartbeat.HeartbeatTime" is "2026-01-01T10:00:05Z"

    Scenario: Date-times with an offset are read as the instant they name
      When client "S1" sends a heartbeat with the body:
        """
        {"{score}": 100, "LastDataProcessedTime": "2026-01-01T12:00:00+02:00"}
        """
      Then the response status is 200
      And the heartbeat response carries last data processed time "2026-01-01T10:00:00Z"

    # The preview's: the generally available revision and the on-premises
    # service require a FailoverScore (revisions.feature, onprem.feature).
    @cloud
    Scenario: A heartbeat without a score counts as a score of 0
      Given client "S2" has joined group "A"
      When client "S1" sends a heartbeat with the body:
        """
        {}
        """
      Then the response status is 200
      And the heartbeat response tells "S1" it is Secondary
      When I get client "S1"
      Then the response property "Heartbeat.{score}" is 0
      And the response property "Heartbeat.LastDataProcessedTime" is null
      And the response property "Heartbeat.HeartbeatTime" is null

    Scenario: Property names of a heartbeat are read in any case
      When client "S1" sends a heartbeat with the body:
        """
        {"{lower:score}": 100, "lastDataProcessedTime": "2026-01-01T00:00:00Z"}
        """
      Then the response status is 200
      And the heartbeat response tells "S1" it is Primary
      And the heartbeat response carries last data processed time "2026-01-01T00:00:00Z"

    Scenario: A heartbeat of a client that does not exist fails with 404
      When I send POST to "{api}/clientfailover/groups/{A}/clientsessions/{Nobody}/heartbeat" with the body:
        """
        {"{score}": 100}
        """
      Then the request fails with status 404

    Scenario: A heartbeat to a group that does not exist fails with 404
      When I send POST to "{api}/clientfailover/groups/{Missing}/clientsessions/{S1}/heartbeat" with the body:
        """
        {"{score}": 100}
        """
      Then the request fails with status 404

    Scenario: An unknown client is reported before a bad heartbeat
      When I send POST to "{api}/clientfailover/groups/{A}/clientsessions/{Nobody}/heartbeat" with the body:
        """
        {"{score}": 1000}
        """
      Then the request fails with status 404

  Rule: A heartbeat that is not valid fails with 400 and changes nothing

    Scenario Outline: A heartbeat that is not valid fails with 400
      Given client "S1" has sent a heartbeat with score 40
      And I take note of group "A"
      When client "S1" sends a heartbeat with the body:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      And group "A" is unchanged

      Examples: scores outside 0 to 100, not a number, null
        | body               | mentions |
        | {"{score}": -1}    | {score}  |
        | {"{score}": 100.5} | {score}  |
        | {"{score}": 1000}  | {score}  |
        | {"{score}": "100"} | {score}  |
        | {"{score}": null}  | {score}  |
        | {"{score}": true}  | {score}  |
        | {"{score}": [100]} | {score}  |

      Examples: malformed date-times
        | body                                                              | mentions              |
        | {"{score}": 100, "LastDataProcessedTime": "yesterday"}            | LastDataProcessedTime |
        | {"{score}": 100, "LastDataProcessedTime": "2026-13-01T00:00:00Z"} | LastDataProcessedTime |
        | {"{score}": 100, "LastDataProcessedTime": "2026-02-30T00:00:00Z"} | LastDataProcessedTime |
        | {"{score}": 100, "LastDataProcessedTime": 20260101}               | LastDataProcessedTime |
        | {"{score}": 100, "HeartbeatTime": "2026-01-01T25:00:00Z"}         | HeartbeatTime         |
        | {"{score}": 100, "HeartbeatTime": ""}                             | HeartbeatTime         |

      Examples: bodies that are not a heartbeat
        | body               | mentions |
        | {"{score}": 100    | JSON     |
        | [{"{score}": 100}] | JSON     |
        | 100                | JSON     |

    Scenario: A heartbeat without a body fails with 400
      When I send POST to "{api}/clientfailover/groups/{A}/clientsessions/{S1}/heartbeat"
      Then the request fails with status 400

  @emulator
  Rule: Heartbeats faster than the minimum interval get 429

    Scenario: A heartbeat sooner than the minimum interval gets 429 with Retry-After
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And heartbeats are limited to one every "00:00:05"
      And client "S1" has sent a heartbeat with score 100
      And I take note of group "A"
      And 2 seconds pass
      When client "S1" sends a heartbeat with score 50
      Then the request fails with status 429
      And the response header "Retry-After" is "3"
      And group "A" is unchanged

    Scenario: Retry-After is whole seconds rounded up, at least 1
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And heartbeats are limited to one every "00:00:01.5"
      And client "S1" has sent a heartbeat with score 100
      When client "S1" sends a heartbeat with score 100
      Then the request fails with status 429
      And the response header "Retry-After" is "2"

    Scenario: Retry-After is at least 1 second
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And heartbeats are limited to one every "00:00:00.5"
      And client "S1" has sent a heartbeat with score 100
      When client "S1" sends a heartbeat with score 100
      Then the request fails with status 429
      And the response header "Retry-After" is "1"

    Scenario: A heartbeat after the minimum interval is accepted
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And heartbeats are limited to one every "00:00:05"
      And client "S1" has sent a heartbeat with score 100
      And 5 seconds pass
      When client "S1" sends a heartbeat with score 50
      Then the response status is 200

    Scenario: A refused heartbeat does not restart the interval
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And heartbeats are limited to one every "00:00:05"
      And client "S1" has sent a heartbeat with score 100
      And 3 seconds pass
      And client "S1" sends a heartbeat with score 100
      And 2 seconds pass
      When client "S1" sends a heartbeat with score 100
      Then the response status is 200

    Scenario: The minimum interval is per client
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And heartbeats are limited to one every "00:00:05"
      And client "S2" has joined group "A"
      And client "S1" has sent a heartbeat with score 100
      When client "S2" sends a heartbeat with score 100
      Then the response status is 200

    Scenario: The first heartbeat of a client is never limited
      Given heartbeats are limited to one every "00:01:00"
      When client "S1" sends a heartbeat with score 100
      Then the response status is 200

    Scenario: An unknown client is reported before the rate limit and a bad body
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And heartbeats are limited to one every "00:00:05"
      When I send POST to "{api}/clientfailover/groups/{A}/clientsessions/{Nobody}/heartbeat" with the body:
        """
        {"{score}": -5}
        """
      Then the request fails with status 404

    Scenario: A bad body is reported before the rate limit
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And heartbeats are limited to one every "00:00:05"
      And client "S1" has sent a heartbeat with score 100
      When client "S1" sends a heartbeat with the body:
        """
        {"{score}": -5}
        """
      Then the request fails with status 400

    Scenario: A refused heartbeat does not tell a PendingPrimary its role
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And a failover group "B" with a failover timeout of "00:00:30"
      And clients "P1" and "P2" have joined group "B"
      And heartbeats are limited to one every "00:00:15"
      And client "P1" has sent a heartbeat with score 100
      And client "P2" has sent a heartbeat with score 80
      And 20 seconds pass
      And client "P2" has sent a heartbeat with score 80
      And 11 seconds pass
      When client "P2" sends a heartbeat with score 80
      Then the request fails with status 429
      When 4 seconds pass
      And client "P2" sends a heartbeat with score 80
      Then the heartbeat response tells "P2" it is PendingPrimary
      When 15 seconds pass
      And client "P2" sends a heartbeat with score 80
      Then the heartbeat response tells "P2" it is Primary
