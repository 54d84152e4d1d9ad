@emulator
Feature: Injected faults
  A test makes the emulator misbehave the way a service sometimes does, to
  see how its client copes: a fault rule says which requests it matches
  (operation, method, path, tenant, namespace) and what happens to them (an
  answer with another status, extra headers, a delay, or a connection
  dropped without an answer), how many times (Times) and how likely
  (Probability, from a seeded random source so a run can be repeated). The
  first matching rule in the order added fires. Faults never touch the
  emulator's own control API.

  Background:
    Given a failover group "A"
    And client "S1" has joined group "A"

  Rule: A rule with a status answers in the service's place

    Scenario: The next two heartbeats get 503 with Retry-After, then heartbeats are answered again
      Given the fault rule "busy":
        """
        {"Match": {"Operation": "PostHeartbeatMessage"}, "Action": {"Status": 503, "Headers": {"Retry-After": "1"}}, "Times": 2}
        """
      When client "S1" sends a heartbeat with score 100
      Then the request fails with status 503
      And the response header "Retry-After" is "1"
      When client "S1" sends a heartbeat with score 100
      Then the request fails with status 503
      When client "S1" sends a heartbeat with score 100
      Then the response status is 200
      And the heartbeat response tells "S1" it is Primary
      And the fault rule "busy" has fired 2 times with 0 remaining

    Scenario: A client that waits as Retry-After says and tries again gets through
      Given the fault rule "busy":
        """
        {"Match": {"Operation": "PostHeartbeatMessage"}, "Action": {"Status": 503, "Headers": {"Retry-After": "1"}}, "Times": 1}
        """
      When client "S1" sends a heartbeat with score 100, retrying after a 503
      Then the response status is 200
      And the heartbeat response tells "S1" it is Primary
      And the journal filtered by "operation=PostHeartbeatMessage" holds 2 requests

    Scenario: A rule answers with its own status and body
      Given the fault rule "broken":
        """
        {"Match": {"Operation": "GetGroupConfiguration"}, "Action": {"Status": 500, "Body": {"OperationId": "injected-1", "Error": "The service is broken.", "Reason": "A test said so.", "Resolution": "Try again later."}}}
        """
      When I get group "A"
      Then the request fails with status 500
      And the response property "OperationId" is "injected-1"
      And the error response says "The service is broken."
      And the response property "Reason" is "A test said so."

    Scenario: A rule with a status and no body answers a complete ErrorResponse
      Given the fault rule "throttled":
        """
        {"Match": {"Operation": "GetGroupStatus"}, "Action": {"Status": 429}}
        """
      When I get the status of group "A"
      Then the request fails with status 429
      And the response is a valid "ErrorResponse"

    Scenario: A request a rule answered changed nothing
      Given the fault rule "refused":
        """
        {"Match": {"Operation": "PostGroup"}, "Action": {"Status": 503}}
        """
      When I create group "B"
      Then the request fails with status 503
      And group "B" does not exist

  Rule: A rule without a status or drop adds its headers and delay, then the request is handled

    Scenario: A rule with headers only adds them to the normal answer
      Given the fault rule "tagged":
        """
        {"Match": {"Operation": "GetGroupConfiguration"}, "Action": {"Headers": {"X-Injected": "yes"}}}
        """
      When I get group "A"
      Then the response status is 200
      And the response header "X-Injected" is "yes"
      And the response is group "A" with a failover timeout of "00:00:30"
      And the fault rule "tagged" has fired 1 time with no limit

    Scenario: A delayed request is still answered normally
      Given the fault rule "slow":
        """
        {"Match": {"Operation": "GetGroupConfiguration"}, "Action": {"Delay": "00:00:00.2"}}
        """
      When I get group "A"
      Then the response status is 200
      And the response is group "A" with a failover timeout of "00:00:30"
      And the fault rule "slow" has fired 1 time with no limit

    Scenario: A delay may be written as a Go duration
      Given the fault rule "slow":
        """
        {"Match": {"Operation": "PostHeartbeatMessage"}, "Action": {"Delay": "100ms"}}
        """
      When client "S1" sends a heartbeat with score 100
      Then the response status is 200
      And the heartbeat response tells "S1" it is Primary
      When I send GET to "/_emulator/faults/{slow}"
      Then the response property "Action.Delay" is "00:00:00.1000000"

  Rule: A rule may drop the connection without an answer

    Scenario: A dropped heartbeat gets no answer and is not received
      Given the fault rule "cut":
        """
        {"Match": {"Operation": "PostHeartbeatMessage"}, "Action": {"Drop": true}, "Times": 1}
        """
      When client "S1" sends a heartbeat with score 100
      Then the connection was dropped without an answer
      And the journal filtered by "status=0" holds 1 request within 2 seconds
      And the journal filtered by "operation=PostHeartbeatMessage" holds these requests:
        | Method | Operation            | Status | Fault |
        | POST   | PostHeartbeatMessage | 0      | cut   |
      When I get client "S1"
      Then the response property "HeartbeatPosted" is false
      When client "S1" sends a heartbeat with score 100
      Then the response status is 200

  Rule: A rule fires on the requests it matches and on no other

    Scenario Outline: A rule matching <what> fires on <matching> but not on <other>
      Given the fault rule "teapot":
        """
        {"Match": <match>, "Action": {"Status": 418}}
        """
      When I <other>
      Then the response status is 200
      When I <matching>
      Then the request fails with status 418
      And the fault rule "teapot" has fired 1 time with no limit

      Examples:
        | what                      | match                                                | matching                      | other           |
        | an operation              | {"Operation": "GetGroupStatus"}                      | get the status of group "A"   | get group "A"   |
        | a method                  | {"Method": "DELETE"}                                 | delete client "S1"            | get client "S1" |
        | a method in any case      | {"Method": "delete"}                                 | delete client "S1"            | get client "S1" |
        | a method and an operation | {"Method": "GET", "Operation": "ListClientSessions"} | list the clients of group "A" | get client "S1" |

      @cloud
      Examples: the cloud's paths, tenants and namespaces
        | what                            | match                                                                            | matching                          | other                                |
        | a path with one-segment globs   | {"Path": "/api/*/tenants/*/namespaces/*/clientfailover/groups/*/clientsessions"} | list the clients of group "A"     | get the status of group "A"          |
        | a path with a many-segment glob | {"Path": "/api/v1/**"}                                                           | get group "A" through the v1 API  | get group "A"                        |
        | a path in any case              | {"Path": "/API/V1-PREVIEW/**/STATUS"}                                            | get the status of group "A"       | get group "A"                        |
        | the scenario's tenant           | {"Tenant": "{tenant}"}                                                           | get group "A"                     | list the groups in tenant "Other"    |
        | the tenant in another case      | {"Tenant": "{upper:tenant}"}                                                     | get group "A"                     | list the groups in tenant "Other"    |
        | another tenant                  | {"Tenant": "{Other}"}                                                            | list the groups in tenant "Other" | list the groups                      |
        | the scenario's namespace        | {"Namespace": "{namespace}"}                                                     | list the groups                   | list the groups in namespace "Other" |

      @onprem
      Examples: the on-premises service's paths
        | what                            | match                                                     | matching                      | other                         |
        | a path with one-segment globs   | {"Path": "/api/*/clientfailover/groups/*/clientsessions"} | list the clients of group "A" | get the status of group "A"   |
        | a path with a many-segment glob | {"Path": "/api/v1/clientfailover/**"}                     | get group "A"                 | get the logging configuration |
        | a path in any case              | {"Path": "/API/V1/CLIENTFAILOVER/**/STATUS"}              | get the status of group "A"   | get group "A"                 |
        | a path of the configuration     | {"Path": "/api/v1/configuration/**"}                      | get the logging configuration | get group "A"                 |
        | a configuration operation       | {"Operation": "GetLoggingConfiguration"}                  | get the logging configuration | get the configuration         |

    Scenario: The first matching rule in the order added fires
      Given the fault rule "first":
        """
        {"Match": {"Operation": "GetGroupConfiguration"}, "Action": {"Status": 502}}
        """
      And the fault rule "second":
        """
        {"Match": {"Method": "GET"}, "Action": {"Status": 504}}
        """
      When I get group "A"
      Then the request fails with status 502
      When I list the groups
      Then the request fails with status 504
      And the fault rule "first" has fired 1 time with no limit
      And the fault rule "second" has fired 1 time with no limit

  Rule: Times and Probability decide how often a rule fires

    Scenario: A rule fires exactly Times times, then requests are handled again
      Given the fault rule "thrice":
        """
        {"Match": {"Operation": "GetGroupConfiguration"}, "Action": {"Status": 503}, "Times": 3}
        """
      When I send GET to "{api}/clientfailover/groups/{A}" 5 times
      Then the answers were 503, 503, 503, 200 and 200
      And the fault rule "thrice" has fired 3 times with 0 remaining

    Scenario: A rule fires exactly Times times on requests that arrive at once
      Given the fault rule "thrice":
        """
        {"Match": {"Operation": "GetGroupStatus"}, "Action": {"Status": 503}, "Times": 3}
        """
      When I send GET to "{api}/clientfailover/groups/{A}/status" 12 times at once
      Then 3 of the answers were 503 and the others 200
      And the fault rule "thrice" has fired 3 times with 0 remaining

    Scenario: A rule with a Probability and a Seed fires on the same requests in every run
      Given the fault rule "coin":
        """
        {"Match": {"Operation": "GetInformation"}, "Action": {"Status": 503}, "Probability": 0.5, "Seed": 42}
        """
      When I send GET to "{api}/clientfailover" 24 times
      Then some of the answers were 503 and the others 200
      And I remember the answers
      When I send POST to "/_emulator/reset"
      And the fault rule "coin":
        """
        {"Match": {"Operation": "GetInformation"}, "Action": {"Status": 503}, "Probability": 0.5, "Seed": 42}
        """
      And I send GET to "{api}/clientfailover" 24 times
      Then the answers are the remembered ones

    Scenario: A rule with Probability 0 never fires and with 1 always does
      Given the fault rule "never":
        """
        {"Match": {"Operation": "GetInformation"}, "Action": {"Status": 500}, "Probability": 0}
        """
      And the fault rule "always":
        """
        {"Match": {"Operation": "GetInformation"}, "Action": {"Status": 503}, "Probability": 1}
        """
      When I send GET to "{api}/clientfailover" 5 times
      Then the answers were 503, 503, 503, 503 and 503
      And the fault rule "never" has fired 0 times with no limit
      And the fault rule "always" has fired 5 times with no limit

    @cloud
    Scenario: A path glob matches the path as sent, so an escaped "/" in an id stays one segment
      Given the fault rule "teapot":
        """
        {"Match": {"Path": "/api/v1-preview/tenants/*/namespaces/*/clientfailover/groups/*"}, "Action": {"Status": 418}}
        """
      When I send GET to "{api}/clientfailover/groups/a%2Fb"
      Then the request fails with status 418
      When I send GET to "{api}/clientfailover/groups/a%2Fb/status"
      Then the request fails with status 404
      And the journal filtered by "path=/api/**/groups/a%252Fb" holds 1 request

  Rule: A rule that is not valid is refused with 400 and not added

    Scenario Outline: A rule with <fault> is refused
      When I send POST to "/_emulator/faults" with the body:
        """
        <rule>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      When I send GET to "/_emulator/faults"
      Then the response is a list of 0 items
      When I get group "A"
      Then the response status is 200

      Examples:
        | fault                          | rule                                                                  | mentions          |
        | an unknown operation           | {"Match": {"Operation": "GetGroups"}, "Action": {"Status": 500}}      | Operation         |
        | an operation in the wrong case | {"Match": {"Operation": "getgroupstatus"}, "Action": {"Status": 500}} | Operation         |
        | status 99                      | {"Action": {"Status": 99}}                                            | Status            |
        | status 600                     | {"Action": {"Status": 600}}                                           | Status            |
        | probability 1.5                | {"Action": {"Status": 503}, "Probability": 1.5}                       | Probability       |
        | a negative probability         | {"Action": {"Status": 503}, "Probability": -0.1}                      | Probability       |
        | an unparsable delay            | {"Action": {"Delay": "a little while"}}                               | Delay             |
        | a delay over a minute          | {"Action": {"Delay": "00:01:01"}}                                     | Delay             |
        | a negative Times               | {"Action": {"Status": 503}, "Times": -1}                              | Times             |
        | a drop with a status           | {"Action": {"Drop": true, "Status": 503}}                             | Drop              |
        | a misspelt property            | {"Action": {"Status": 503}, "Tmes": 2}                                | Tmes              |
        | status 101                     | {"Action": {"Status": 101}}                                           | Status            |
        | a Content-Length header        | {"Action": {"Status": 200, "Headers": {"Content-Length": "9"}}}       | Content-Length    |
        | a Transfer-Encoding header     | {"Action": {"Headers": {"Transfer-Encoding": "chunked"}}}             | Transfer-Encoding |
        | a body with status 204         | {"Action": {"Status": 204, "Body": {"a": 1}}}                         | 204               |
        | a body with status 304         | {"Action": {"Status": 304, "Body": "x"}}                              | 304               |

    Scenario: A rule whose Id is taken is refused with 409
      Given the fault rule "busy":
        """
        {"Action": {"Status": 503}}
        """
      When I send POST to "/_emulator/faults" with the body:
        """
        {"Id": "{busy}", "Action": {"Status": 500}}
        """
      Then the request fails with status 409
      When I send GET to "/_emulator/faults"
      Then the response is a list of 1 item

  Rule: Faults never apply to the control API

    Scenario: A rule matching everything leaves the control API alone
      Given the fault rule "everything":
        """
        {"Action": {"Status": 503}}
        """
      And the fault rule "control":
        """
        {"Match": {"Path": "/_emulator/**"}, "Action": {"Drop": true}}
        """
      When I send GET to "/_emulator/health"
      Then the response status is 200
      When I send GET to "/_emulator/clock"
      Then the response status is 200
      When I get group "A"
      Then the request fails with status 503
      And the fault rule "everything" has fired 1 time with no limit
      And the fault rule "control" has fired 0 times with no limit

  Rule: Rules are listed, read and removed, each with how often it fired and how often it will

    Scenario: Rules are listed in the order added with Fired and Remaining
      Given the fault rule "first":
        """
        {"Match": {"Operation": "GetGroupStatus"}, "Action": {"Status": 503}, "Times": 2}
        """
      And the fault rule "second":
        """
        {"Match": {"Operation": "GetGroupConfiguration"}, "Action": {"Status": 500}}
        """
      And I get the status of group "A"
      When I send GET to "/_emulator/faults"
      Then the response status is 200
      And the response is a list of 2 items
      And the response property "0.Id" is "{first}"
      And the response property "0.Match.Operation" is "GetGroupStatus"
      And the response property "0.Action.Status" is 503
      And the response property "0.Times" is 2
      And the response property "0.Fired" is 1
      And the response property "0.Remaining" is 1
      And the response property "1.Id" is "{second}"
      And the response property "1.Fired" is 0
      And the response property "1.Remaining" is null
      When I send GET to "/_emulator/faults/{second}"
      Then the response status is 200
      And the response property "Action.Status" is 500

    Scenario: A rule added without an Id gets one
      When I send POST to "/_emulator/faults" with the body:
        """
        {"Match": {"Operation": "GetGroupStatus"}, "Action": {"Status": 503}}
        """
      Then the response status is 201
      And the response property "Id" is a non-empty string
      And the response property "Fired" is 0

    Scenario: A removed rule no longer fires
      Given the fault rule "first":
        """
        {"Match": {"Operation": "GetGroupStatus"}, "Action": {"Status": 503}}
        """
      And the fault rule "second":
        """
        {"Match": {"Operation": "GetGroupConfiguration"}, "Action": {"Status": 500}}
        """
      When I send DELETE to "/_emulator/faults/{second}"
      Then the response status is 204
      When I get group "A"
      Then the response status is 200
      When I send GET to "/_emulator/faults/{second}"
      Then the request fails with status 404
      When I send DELETE to "/_emulator/faults/{second}"
      Then the request fails with status 404
      When I get the status of group "A"
      Then the request fails with status 503

    Scenario: Clearing the rules removes them all
      Given the fault rule "first":
        """
        {"Match": {"Operation": "GetGroupStatus"}, "Action": {"Status": 503}}
        """
      And the fault rule "second":
        """
        {"Match": {"Operation": "GetGroupConfiguration"}, "Action": {"Status": 500}}
        """
      When I send DELETE to "/_emulator/faults"
      Then the response status is 204
      When I send GET to "/_emulator/faults"
      Then the response is a list of 0 items
      When I get the status of group "A"
      Then the response status is 200
      When I get group "A"
      Then the response status is 200

    Scenario: Reset removes the rules
      Given the fault rule "first":
        """
        {"Action": {"Status": 503}}
        """
      When I send POST to "/_emulator/reset"
      And I send GET to "/_emulator/faults"
      Then the response is a list of 0 items
