Feature: Role override
  For maintenance, an operator can force one client of a group to be
  Primary, for a while or until further notice, and turn the override off
  again. Only one client of a group holds an override at a time. The forced
  client is Primary while the override lasts, whether or not it sends
  heartbeats: its role is not calculated.

  Background:
    Given a failover group "A" with a failover timeout of "00:05:00"
    And clients "S1" and "S2" have joined group "A"

  Rule: Post Role Override sets or clears a client's override

    Scenario: Forcing a client to Primary until further notice
      When an operator forces client "S2" to Primary
      Then the response status is 200
      And the response is a valid "RoleOverrideResponse"
      And the response has exactly the properties "Value" and "RoleOverrideExpirationTime"
      And the response property "Value" is 1
      And the response property "RoleOverrideExpirationTime" is null
      And client "S2" has an override to Primary that never expires

    Scenario: Forcing a client to Primary for a while tells when it ends
      When an operator forces client "S2" to Primary for "00:30:00"
      Then the response status is 200
      And the response is a valid "RoleOverrideResponse"
      And the response property "Value" is 1
      And the response property "RoleOverrideExpirationTime" is a date-time

    @emulator
    Scenario: The override ends after its period on the emulator clock
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      When an operator forces client "S2" to Primary for "00:30:00"
      Then the response property "RoleOverrideExpirationTime" is "2026-01-01T00:30:00Z"
      And client "S2" has an override to Primary until "2026-01-01T00:30:00Z"

    Scenario: Turning the override off
      Given an operator forces client "S2" to Primary
      When an operator turns off the override of client "S2"
      Then the response status is 200
      And the response is a valid "RoleOverrideResponse"
      And the response property "Value" is 0
      And the response property "RoleOverrideExpirationTime" is null
      And client "S2" has no override

    Scenario: Turning off with an expiration period still answers no expiration
      Given an operator forces client "S2" to Primary
      When an operator sends the role override of client "S2":
        """
        {"Value": 0, "ExpirationPeriod": "00:10:00"}
        """
      Then the response status is 200
      And the response property "Value" is 0
      And the response property "RoleOverrideExpirationTime" is null
      And client "S2" has no override

    Scenario: Forcing another client takes the override from the first
      Given an operator forces client "S1" to Primary
      When an operator forces client "S2" to Primary
      Then the response status is 200
      And client "S1" has no override
      And client "S2" has an override to Primary that never expires

    Scenario: A forced client that never sent a heartbeat is Primary at once
      When an operator forces client "S2" to Primary
      Then the response status is 200
      And client "S2" is Primary
      And client "S1" is Secondary
      And the status of group "A" shows "S2" as primary and no pending primary

    Scenario: A forced client that is live becomes Primary at once
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 10
      When an operator forces client "S2" to Primary
      Then the response status is 200
      And client "S2" is Primary
      And client "S1" is Secondary
      And the status of group "A" shows "S2" as primary and no pending primary

    Scenario: Property names of an override are read in any case
      When an operator sends the role override of client "S2":
        """
        {"value": 1, "expirationPeriod": null}
        """
      Then the response status is 200
      And client "S2" has an override to Primary that never expires

    Scenario: An override of a client that does not exist fails with 404
      When I send POST to "{api}/clientfailover/groups/{A}/clientsessions/{Nobody}/roleoverride" with the body:
        """
        {"Value": 1}
        """
      Then the request fails with status 404

    Scenario: An override of a client of a group that does not exist fails with 404
      When I send POST to "{api}/clientfailover/groups/{Missing}/clientsessions/{S1}/roleoverride" with the body:
        """
        {"Value": 1}
        """
      Then the request fails with status 404

    Scenario: An unknown client is reported before a bad body
      When I send POST to "{api}/clientfailover/groups/{A}/clientsessions/{Nobody}/roleoverride" with the body:
        """
        {"Value": 7}
        """
      Then the request fails with status 404

  Rule: An override that is not valid fails with 400 and changes nothing

    Scenario Outline: An override that is not valid fails with 400
      Given an operator forces client "S1" to Primary
      And I take note of group "A"
      When an operator sends the role override of client "S2":
        """
        <body>
        """
      Then the request fails with status 400
      And group "A" is unchanged

      Examples: unknown role values
        | body               |
        | {"Value": 3}       |
        | {"Value": -1}      |
        | {"Value": "Maybe"} |
        | {"Value": "Prim"}  |
        | {"Value": ""}      |
        | {"Value": 1.5}     |
        | {"Value": "1"}     |
        | {"Value": null}    |

      Examples: unreadable periods
        | body                                     |
        | {"Value": 1, "ExpirationPeriod": "soon"} |
        | {"Value": 1, "ExpirationPeriod": 30}     |

      Examples: bodies that are not an override
        | body        |
        | {"Value": 1 |
        | [1]         |
        | 1           |

    Scenario: An unknown name fails with 400 that lists the allowed values
      When an operator sends the role override of client "S2":
        """
        {"Value": "Maybe"}
        """
      Then the request fails with status 400
      And the error response mentions "Maybe"
      And the error response mentions "0 (Off), 1 (Primary)"
      And client "S2" has no override

    Scenario: An override without a body fails with 400
      When I send POST to "{api}/clientfailover/groups/{A}/clientsessions/{S1}/roleoverride"
      Then the request fails with status 400

  Rule: Value is read by its number or by its name in any case, and answered as a number

    Scenario Outline: Value <value> is read as <number>
      Given an operator forces client "S1" to Primary
      When an operator sends the role override of client "S2":
        """
        {"Value": <value>, "ExpirationPeriod": null}
        """
      Then the response status is 200
      And the response property "Value" is <number>
      And client "S2" has <override>
      When I get client "S2"
      Then the response property "{override}" is <number>

      Examples:
        | value     | number | override                                  |
        | 1         | 1      | an override to Primary that never expires |
        | "Primary" | 1      | an override to Primary that never expires |
        | "primary" | 1      | an override to Primary that never expires |
        | "PRIMARY" | 1      | an override to Primary that never expires |
        | "pRiMaRy" | 1      | an override to Primary that never expires |
        | 0         | 0      | no override                               |
        | "Off"     | 0      | no override                               |
        | "OFF"     | 0      | no override                               |
        | "off"     | 0      | no override                               |

    Scenario: The body the on-premises documentation sends is read
      When an operator sends the role override of client "S2":
        """
        {"Value": "Primary", "ExpirationPeriod": "08:00:00"}
        """
      Then the response status is 200
      And the response property "Value" is 1
      And the response property "RoleOverrideExpirationTime" is a date-time
      When an operator sends the role override of client "S2":
        """
        {"Value": "Off"}
        """
      Then the response status is 200
      And the response property "Value" is 0
      And client "S2" has no override

  @cloud
  Rule: Forcing a client to Secondary is the on-premises service's only: the cloud surfaces answer 400

    Scenario Outline: Value <value> fails with 400 under <root> and changes nothing
      Given I take note of group "A"
      When I send POST to "<root>/clientfailover/groups/{A}/clientsessions/{S1}/roleoverride" with the body:
        """
        {"Value": <value>}
        """
      Then the request fails with status 400
      And the error response mentions "0 (Off), 1 (Primary)"
      And group "A" is unchanged

      Examples:
        | root      | value       |
        | {preview} | 2           |
        | {preview} | "Secondary" |
        | {preview} | "secondary" |
        | {v1}      | 2           |
        | {v1}      | "Secondary" |
        | {v1}      | "SECONDARY" |
