@emulator
Feature: Strict bodies
  The service ignores the request-body properties an operation does not
  have, and reads a body as JSON whatever its Content-Type; so does the
  emulator, which lists what it ignored in the request journal. For tests
  that want to catch a client's typo, the emulator reads bodies strictly on
  demand (--strict-bodies, or PUT /_emulator/config {"StrictBodies": true}):
  a property the operation does not have is then a 400 that names it, and a
  body whose Content-Type is not one ASP.NET reads as JSON (application/json,
  text/json, application/*+json) a 415, as an ASP.NET service answers. A
  reset turns it off again.

  Rule: By default a body is read as JSON whatever its Content-Type

    Scenario Outline: A body sent as <type> is read
      When I send POST to "{api}/clientfailover/groups" with the Content-Type "<type>" and the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00"}
        """
      Then the response status is 201
      And group "A" exists

      Examples:
        | type                              |
        | text/plain                        |
        | application/x-www-form-urlencoded |

    Scenario: A body sent without a Content-Type is read
      When I send POST to "{api}/clientfailover/groups" without a Content-Type and with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00"}
        """
      Then the response status is 201

  Rule: Strict bodies turn a property the operation does not have into a 400 that names it

    Background:
      Given the emulator reads request bodies strictly

    Scenario: Strict bodies are a run-time setting
      When I send GET to "/_emulator/config"
      Then the response property "StrictBodies" is true

    Scenario: A group with a property groups do not have is refused and not created
      When I create a group with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00", "Colour": "blue"}
        """
      Then the request fails with status 400
      And the error response mentions "Colour"
      And group "A" does not exist

    Scenario: A misspelt heartbeat property is refused and changes nothing
      Given a failover group "A" with a failover timeout of "00:05:00"
      And client "S1" has joined group "A"
      When client "S1" sends a heartbeat with the body:
        """
        {"{score}": 100, "LastDataProcesedTime": "2026-01-01T10:00:00Z"}
        """
      Then the request fails with status 400
      And the error response mentions "LastDataProcesedTime"
      When I get client "S1"
      Then the response property "HeartbeatPosted" is false

    @cloud
    Scenario: A preview heartbeat that sends the generally available FailoverScore is refused
      Given a failover group "A" with a failover timeout of "00:05:00"
      And client "S1" has joined group "A"
      When client "S1" sends a heartbeat with the body:
        """
        {"FailoverScore": 100}
        """
      Then the request fails with status 400
      And the error response mentions "FailoverScore"
      When I get client "S1"
      Then the response property "HeartbeatPosted" is false

    @onprem
    Scenario: A health endpoint with a property endpoints do not have is refused and not added
      When I add health endpoints with the body:
        """
        {"Id": "{E1}", "Endpoint": "https://e1.example/omf", "Pasword": "typo"}
        """
      Then the request fails with status 400
      And the error response mentions "Pasword"
      And there are no health endpoints

    Scenario: A body with only properties the operation has is read, their names in any case
      When I create a group with the body:
        """
        {"id": "{A}", "failoverTimeout": "00:01:00", "NAME": "line 1"}
        """
      Then the response status is 201
      And the response property "Name" is "line 1"

    Scenario: A reset turns strict bodies off again
      When I send POST to "/_emulator/reset"
      And I create a group with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00", "Colour": "blue"}
        """
      Then the response status is 201

  Rule: Strict bodies turn a body whose Content-Type is not JSON into a 415

    Background:
      Given the emulator reads request bodies strictly

    Scenario Outline: A body sent as <type> gets 415 and creates nothing
      When I send POST to "{api}/clientfailover/groups" with the Content-Type "<type>" and the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00"}
        """
      Then the request fails with status 415
      And the error response mentions "Content-Type"
      And group "A" does not exist

      Examples:
        | type                              |
        | text/plain                        |
        | application/xml                   |
        | application/x-www-form-urlencoded |
        | application/jsonx                 |
        | text/plain+json                   |

    Scenario: A body sent without a Content-Type gets 415
      When I send POST to "{api}/clientfailover/groups" without a Content-Type and with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00"}
        """
      Then the request fails with status 415
      And group "A" does not exist

    Scenario Outline: A body sent as <type> is read as JSON
      When I send POST to "{api}/clientfailover/groups" with the Content-Type "<type>" and the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00"}
        """
      Then the response status is 201

      Examples:
        | type                            |
        | application/json                |
        | application/json; charset=utf-8 |
        | APPLICATION/JSON                |
        | text/json                       |
        | application/merge-patch+json    |

    Scenario: A Content-Type that is not JSON is reported before a body that is not valid
      When I send POST to "{api}/clientfailover/groups" with the Content-Type "text/plain" and the body:
        """
        not json
        """
      Then the request fails with status 415

    Scenario: An unknown client is reported before the Content-Type of its heartbeat
      Given a failover group "A"
      When I send POST to "{api}/clientfailover/groups/{A}/clientsessions/{Nobody}/heartbeat" with the Content-Type "text/plain" and the body:
        """
        {"{score}": 100}
        """
      Then the request fails with status 404

    Scenario: A request without a body needs no Content-Type
      Given a failover group "A"
      When I send DELETE to "{api}/clientfailover/groups/{A}"
      Then the response status is 204
