@emulator
Feature: The emulator's control API
  Tests drive the emulator through its own API under /_emulator: its health,
  its clock, its run-time settings, its failover events, its whole state and
  a reset to the start state.

  Scenario: The emulator tells when it is ready
    When I send GET to "/_emulator/health"
    Then the response status is 200
    And the response property "Status" is "ok"

  Rule: The clock

    Scenario: The clock starts on real time
      When I send GET to "/_emulator/clock"
      Then the response status is 200
      And the response property "Mode" is "real"
      And the response property "Now" is a date-time

    Scenario: The clock can be frozen at an instant
      When I send PUT to "/_emulator/clock" with the body:
        """
        {"Now": "2026-01-01T00:00:00Z", "Mode": "manual"}
        """
      Then the response status is 200
      And the response property "Now" is "2026-01-01T00:00:00Z"
      And the response property "Mode" is "manual"
      When I send GET to "/_emulator/clock"
      Then the response property "Now" is "2026-01-01T00:00:00Z"

    Scenario: A frozen clock jumps to a new instant and stays frozen
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      When I send PUT to "/_emulator/clock" with the body:
        """
        {"Now": "2027-06-01T12:00:00Z"}
        """
      Then the response status is 200
      And the response property "Now" is "2027-06-01T12:00:00Z"
      And the response property "Mode" is "manual"

    Scenario Outline: A frozen clock is moved forward by a time-span or a Go duration
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      When I send POST to "/_emulator/clock/advance" with the body:
        """
        {"By": "<by>"}
        """
      Then the response status is 200
      And the response property "Now" is "<now>"
      And the response property "Mode" is "manual"

      Examples:
        | by         | now                  |
        | 00:01:30   | 2026-01-01T00:01:30Z |
        | 90s        | 2026-01-01T00:01:30Z |
        | 1.00:00:00 | 2026-01-02T00:00:00Z |
        | 00:00:00   | 2026-01-01T00:00:00Z |

    Scenario Outline: The clock is never moved back, nor by nonsense
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      When I send POST to "/_emulator/clock/advance" with the body:
        """
        <body>
        """
      Then the request fails with status 400
      When I send GET to "/_emulator/clock"
      Then the response property "Now" is "2026-01-01T00:00:00Z"

      Examples:
        | body                |
        | {"By": "-00:00:01"} |
        | {"By": "-5s"}       |
        | {"By": "soon"}      |
        | {}                  |
        | {"By": 30}          |
        | not json            |

    Scenario: A real clock moved to an instant keeps ticking from there
      When I send PUT to "/_emulator/clock" with the body:
        """
        {"Now": "2030-01-01T00:00:00Z"}
        """
      Then the response status is 200
      And the response property "Mode" is "real"
      And the response property "Now" is a date-time between "2030-01-01T00:00:00Z" and "2030-01-01T00:01:00Z"

    Scenario: A real clock is moved forward by an offset
      Given I send PUT to "/_emulator/clock" with the body:
        """
        {"Now": "2030-01-01T00:00:00Z"}
        """
      When I send POST to "/_emulator/clock/advance" with the body:
        """
        {"By": "01:00:00"}
        """
      Then the response status is 200
      And the response property "Mode" is "real"
      And the response property "Now" is a date-time between "2030-01-01T01:00:00Z" and "2030-01-01T01:01:00Z"

    Scenario: The clock goes back to real time
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      When I send PUT to "/_emulator/clock" with the body:
        """
        {"Mode": "real"}
        """
      Then the response status is 200
      And the response property "Mode" is "real"

    Scenario: A bad clock request fails with 400
      When I send PUT to "/_emulator/clock" with the body:
        """
        {"Now": "next Tuesday"}
        """
      Then the request fails with status 400
      When I send PUT to "/_emulator/clock" with the body:
        """
        {"Mode": "sundial"}
        """
      Then the request fails with status 400

  Rule: Run-time settings

    Scenario: Heartbeats are not limited by default
      When I send GET to "/_emulator/config"
      Then the response status is 200
      And the response property "HeartbeatMinInterval" is "00:00:00"

    Scenario Outline: The heartbeat minimum interval is set as a time-span or a Go duration
      When I send PUT to "/_emulator/config" with the body:
        """
        {"HeartbeatMinInterval": "<interval>"}
        """
      Then the response status is 200
      And the response property "HeartbeatMinInterval" is "<answered>"
      When I send GET to "/_emulator/config"
      Then the response property "HeartbeatMinInterval" is "<answered>"

      Examples:
        | interval | answered |
        | 00:00:05 | 00:00:05 |
        | 5s       | 00:00:05 |
        | 1m30s    | 00:01:30 |
        | 0        | 00:00:00 |

    Scenario Outline: A bad setting fails with 400 and changes nothing
      Given heartbeats are limited to one every "00:00:05"
      When I send PUT to "/_emulator/config" with the body:
        """
        {"HeartbeatMinInterval": "<interval>"}
        """
      Then the request fails with status 400
      When I send GET to "/_emulator/config"
      Then the response property "HeartbeatMinInterval" is "00:00:05"

      Examples:
        | interval  |
        | often     |
        | -00:00:05 |

  Rule: Events, state and reset

    @cloud
    Scenario: Events list the role changes with their rule
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And a failover group "A" with a failover timeout of "00:00:30"
      And clients "S1" and "S2" have joined group "A"
      And client "S1" has sent a heartbeat with score 100
      When I send GET to "/_emulator/events"
      Then the response status is 200
      And the response property "Events.0.Time" is "2026-01-01T00:00:00Z"
      And the response property "Events.0.Tenant" is "{tenant}"
      And the response property "Events.0.Namespace" is "{namespace}"
      And the response property "Events.0.Group" is "{A}"
      And the response property "Events.0.Session" is "{S1}"
      And the response property "Events.0.From" is "Secondary"
      And the response property "Events.0.To" is "Primary"
      And the response property "Events.0.Rule" is "FirstPrimary"
      And the response property "Dropped" is 0

    Scenario: Reset goes back to the start state
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And heartbeats are limited to one every "00:00:05"
      And a failover group "A"
      And client "S1" has joined group "A"
      And client "S1" has sent a heartbeat with score 100
      When I send POST to "/_emulator/reset"
      Then the response status is 200
      And group "A" does not exist
      When I send GET to "/_emulator/clock"
      Then the response property "Mode" is "real"
      When I send GET to "/_emulator/config"
      Then the response property "HeartbeatMinInterval" is "00:00:00"
      When I send GET to "/_emulator/events"
      Then the response property "Events" is []

    Scenario: The whole state can be saved and put back
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And a failover group "A" with a failover timeout of "00:05:00"
      And clients "S1" and "S2" have joined group "A"
      And client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 80
      And an operator forces client "S2" to Primary for "00:10:00"
      And I send GET to "/_emulator/state"
      And I remember the response body
      And I send POST to "/_emulator/reset"
      And the emulator clock is frozen at "2026-01-01T00:00:00Z"
      When I send PUT to "/_emulator/state" with the remembered body
      Then the response status is 204
      And the group status shows "S2" as primary and no pending primary
      And client "S2" has an override to Primary until "2026-01-01T00:10:00Z"
      When I send GET to "/_emulator/state"
      Then the response body is the remembered body

    Scenario: A state that is not valid fails with 400 and changes nothing
      Given a failover group "A"
      When I send PUT to "/_emulator/state" with the body:
        """
        {"Namespaces": [{"TenantId": "{tenant}", "NamespaceId": "{namespace}", "Groups": [{"Id": "{B}", "FailoverTimeout": "never"}]}]}
        """
      Then the request fails with status 400
      And group "A" exists
      And group "B" does not exist

  Rule: The control API is strict: a typo never passes silently

    Scenario Outline: A clock request with <problem> fails with 400 and leaves the clock alone
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      When I send <method> to "<path>" with the body:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      When I send GET to "/_emulator/clock"
      Then the response property "Now" is "2026-01-01T00:00:00Z"
      And the response property "Mode" is "manual"

      Examples:
        | problem             | method | path                     | body                                 | mentions             |
        | null                | PUT    | /_emulator/clock         | null                                 | null                 |
        | trailing data       | PUT    | /_emulator/clock         | {"Now": "2030-01-01T00:00:00Z"} x    | after the JSON       |
        | an unknown property | PUT    | /_emulator/clock         | {"Nw": "2030-01-01T00:00:00Z"}       | Nw                   |
        | a number for Now    | PUT    | /_emulator/clock         | {"Now": 2030}                        | Now must be a string |
        | a date after 9999   | PUT    | /_emulator/clock         | {"Now": "9999-12-31T23:59:59-23:59"} | 10000-01-01          |
        | null                | POST   | /_emulator/clock/advance | null                                 | null                 |
        | trailing data       | POST   | /_emulator/clock/advance | {"By": "00:01:00"} {}                | after the JSON       |
        | an unknown property | POST   | /_emulator/clock/advance | {"By": "00:01:00", "Mode": "manual"} | Mode                 |

    Scenario: A clock is never moved past the year 9999
      Given the emulator clock is frozen at "9999-12-31T23:00:00Z"
      When I send POST to "/_emulator/clock/advance" with the body:
        """
        {"By": "01:00:00"}
        """
      Then the request fails with status 400
      And the error response mentions "after the last instant a date-time can hold"
      When I send GET to "/_emulator/clock"
      Then the response property "Now" is "9999-12-31T23:00:00Z"

    Scenario Outline: A setting with <problem> fails with 400 and changes nothing
      Given heartbeats are limited to one every "00:00:05"
      When I send PUT to "/_emulator/config" with the body:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      When I send GET to "/_emulator/config"
      Then the response property "HeartbeatMinInterval" is "00:00:05"

      Examples:
        | problem                   | body                                   | mentions              |
        | a misspelt property       | {"HeartbeatMinIntervall": "00:00:10"}  | HeartbeatMinIntervall |
        | trailing data             | {"HeartbeatMinInterval": "00:00:10"} x | after the JSON        |
        | null                      | null                                   | null                  |
        | a number for the interval | {"HeartbeatMinInterval": 10}           | must be a string      |

    Scenario Outline: A fault rule that is <problem> is refused and not added
      When I send POST to "/_emulator/faults" with the body:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      When I send GET to "/_emulator/faults"
      Then the response is a list of 0 items

      Examples:
        | problem          | body                          | mentions       |
        | null             | null                          | null           |
        | followed by data | {"Action": {"Status": 503}} x | after the JSON |
        | an array         | [{"Action": {"Status": 503}}] | an array       |

    Scenario Outline: A state document that is <problem> fails with 400 and changes nothing
      Given a failover group "A"
      When I send PUT to "/_emulator/state" with the body:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      And group "A" exists

      Examples:
        | problem                               | body                                                                                                                                                      | mentions                    |
        | null                                  | null                                                                                                                                                      | null                        |
        | followed by data                      | {"Namespaces": []} x                                                                                                                                      | after the JSON              |
        | of a misspelt property                | {"Namespace": []}                                                                                                                                         | Namespace                   |
        | of the wrong type                     | {"Namespaces": {}}                                                                                                                                        | Namespaces must be an array |
        | of an AdditionalData that is a string | {"Namespaces": [{"TenantId": "{tenant}", "NamespaceId": "{namespace}", "Groups": [{"Id": "{B}", "FailoverTimeout": "00:01:00", "AdditionalData": "x"}]}]} | AdditionalData              |

    Scenario Outline: A query parameter a control endpoint does not take fails with 400 naming it
      When I send <method> to "<path>"
      Then the request fails with status 400
      And the error response mentions "<name>"

      Examples:
        | method | path                                 | name   |
        | GET    | /_emulator/clock?mode=real           | mode   |
        | GET    | /_emulator/state?pretty=true         | pretty |
        | GET    | /_emulator/events?group=A            | group  |
        | POST   | /_emulator/reset?keep=faults         | keep   |
        | GET    | /_emulator/requests?stauts=503       | stauts |
        | GET    | /_emulator/requests/count?stauts=503 | stauts |

  Rule: Verifying calls

    @cloud
    Scenario: The journal counts the calls a filter selects
      Given a failover group "A"
      And I get group "A"
      And I get group "A"
      When I send GET to "/_emulator/requests/count?operation=GetGroupConfiguration&tenant={tenant}&namespace={namespace}"
      Then the response status is 200
      And the response property "Count" is 2

    Scenario: The journal is read a page at a time
      Given a failover group "A"
      And I get group "A"
      And I get group "A"
      When I send GET to "/_emulator/requests?operation=GetGroupConfiguration&limit=1"
      Then the response status is 200
      And the response property "Requests" is a list of 1 item
      And the response property "Requests.0.Operation" is "GetGroupConfiguration"
      When I send GET to "/_emulator/requests?operation=GetGroupConfiguration&limit=5"
      Then the response property "Requests" is a list of 2 items
      And the response property "Next" is null
