Feature: Client sessions
  Each client of a failover group joins it as a client session. A session
  that never sent a heartbeat has no heartbeat to show, and is Secondary
  unless an operator forced it to Primary.

  Background:
    Given a failover group "A"

  Rule: Post Client Session adds a client to a group

    Scenario: A client joins a group with status 201
      When client "S1" joins group "A" with the name "Collector 1"
      Then the response status is 201
      And the response is a valid "ClientSession"
      And the response property "Id" is "{S1}"
      And the response property "Name" is "Collector 1"

    Scenario: A client that never sent a heartbeat is Secondary with no heartbeat
      When client "S1" joins group "A"
      Then the response status is 201
      And the response property "Role" is 0
      And the response property "HeartbeatPosted" is false
      And the response property "Heartbeat" is null
      And the response property "{override}" is 0
      And the response property "RoleOverrideExpirationTime" is null
      And the response property "Name" is null

    Scenario: A client without an Id gets a new GUID
      When a client without an Id joins group "A"
      Then the response status is 201
      And the response is a valid "ClientSession"
      And the response property "Id" is a new GUID

    Scenario: Joining again with the same Id and name answers the session with 200
      Given client "S1" joins group "A" with the name "Collector 1"
      When client "S1" joins group "A" with the name "Collector 1"
      Then the response status is 200
      And the response is a valid "ClientSession"
      And the response property "Id" is "{S1}"
      When I list the clients of group "A"
      Then the response lists the clients "S1"

    Scenario: Joining again with the same Id and no name answers 200
      Given client "S1" has joined group "A"
      When client "S1" joins group "A"
      Then the response status is 200

    Scenario: Joining again with the same Id and another name fails with 409
      Given client "S1" joins group "A" with the name "Collector 1"
      When client "S1" joins group "A" with the name "Collector 2"
      Then the request fails with status 409
      When I get client "S1"
      Then the response property "Name" is "Collector 1"

    Scenario: An empty name is not the same as no name
      Given client "S1" has joined group "A"
      When client "S1" joins group "A" with the name ""
      Then the request fails with status 409

    Scenario: Joining a group that does not exist fails with 404
      When client "S1" joins group "Missing"
      Then the request fails with status 404

    Scenario Outline: A body that is not a client session fails with 400 and adds nobody
      When client "S1" joins group "A" with the body:
        """
        <body>
        """
      Then the request fails with status 400
      When I list the clients of group "A"
      Then the response lists no clients

      Examples:
        | body                      |
        | {"Id": 42}                |
        | {"Id": "{S1}", "Name": 7} |
        | {"Id": "{S1}"             |
        | ["{S1}"]                  |

    Scenario: A group that does not exist is reported before a bad body
      When client "S1" joins group "Missing" with the body:
        """
        {"Id": 42}
        """
      Then the request fails with status 404

  Rule: List Client Sessions lists the clients of a group

    Scenario: The clients of a group are listed
      Given clients "S1", "S2" and "S3" have joined group "A"
      When I list the clients of group "A"
      Then the response status is 200
      And the response is a valid "ClientSession[]"
      And the response lists the clients "S1", "S2" and "S3"

    Scenario: A group nobody joined lists no clients
      When I list the clients of group "A"
      Then the response status is 200
      And the response lists no clients

    Scenario: Listing the clients of a group that does not exist fails with 404
      When I list the clients of group "Missing"
      Then the request fails with status 404

  Rule: Get Client Session reads one client

    Scenario: A client is read with status 200
      Given client "S1" has joined group "A"
      When I get client "S1"
      Then the response status is 200
      And the response is a valid "ClientSession"
      And the response property "Id" is "{S1}"

    Scenario: A client that does not exist fails with 404
      Given client "S1" has joined group "A"
      And I delete client "S1"
      When I get client "S1"
      Then the request fails with status 404

    Scenario: A client of a group that does not exist fails with 404
      When I send GET to "{api}/clientfailover/groups/{Missing}/clientsessions/{S1}"
      Then the request fails with status 404

    Scenario: A client is not found through another group
      Given a failover group "B"
      And client "S1" has joined group "A"
      When I send GET to "{api}/clientfailover/groups/{B}/clientsessions/{S1}"
      Then the request fails with status 404

  Rule: Delete Client Session removes a client

    Scenario: A client is deleted with status 204 and no body
      Given clients "S1" and "S2" have joined group "A"
      When I delete client "S1"
      Then the response status is 204
      And the response body is empty
      When I list the clients of group "A"
      Then the response lists the clients "S2"

    Scenario: Deleting a client that does not exist fails with 404
      Given client "S1" has joined group "A"
      And I delete client "S1"
      When I delete client "S1"
      Then the request fails with status 404

    Scenario: Deleting a client of a group that does not exist fails with 404
      When I send DELETE to "{api}/clientfailover/groups/{Missing}/clientsessions/{S1}"
      Then the request fails with status 404

    Scenario: A deleted client can join again as a new session
      Given client "S1" has joined group "A"
      And client "S1" has sent a heartbeat with score 100
      And I delete client "S1"
      When client "S1" joins group "A"
      Then the response status is 201
      And the response property "HeartbeatPosted" is false
