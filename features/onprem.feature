@onprem
Feature: The on-premises Client Failover Service
  AVEVA also ships the Client Failover API as an on-premises Windows service,
  the Client Failover Service: "There are no functional differences between
  the cloud and on-premises failover endpoints." It serves the same
  operations under /api/v1/clientfailover, with no tenant or namespace: the
  service is one scope of its own. Its bodies are those of the generally
  available revision (FailoverScore, RoleOverride, AdditionalData), it has no
  access control lists, and its role override can also force a client to
  Secondary.

  The scenarios of the other feature files run on this surface too (the
  conformance suite's surface option onprem); these are the ones only it has.

  Rule: Adapters are pointed at https://host:port/api/v1/clientfailover

    Scenario: The service tells its version where adapters are pointed
      When I send GET to "/api/v1/clientfailover"
      Then the response status is 200
      And the response is a valid "FailoverEndpointInfo"
      And the response property "Version" is a non-empty string

    Scenario Outline: The groups are found under <path>
      Given a failover group "A"
      When I send GET to "<path>"
      Then the response status is 200
      And the response is a valid "GroupConfiguration[]"
      And the response lists the groups "A"
      And the response header "Total-Count" is "1"

      Examples:
        | path                           |
        | /api/v1/clientfailover/groups  |
        | /api/v1/ClientFailover/Groups  |
        | /API/V1/CLIENTFAILOVER/GROUPS  |
        | /api/v1/clientfailover/groups/ |

    Scenario: A client's paths match in any case, and its ids too
      Given a failover group "A" with a failover timeout of "00:05:00"
      And client "S1" has joined group "A"
      When I send POST to "/api/v1/ClientFailover/Groups/{A}/clientSessions/{S1}/Heartbeat" with the body:
        """
        {"FailoverScore": 100}
        """
      Then the response status is 200
      And the response property "Role" is 1
      When I send GET to "/api/v1/clientfailover/groups/{upper:A}/clientsessions/{lower:S1}/"
      Then the response status is 200
      And the response property "Id" is "{S1}"

  Rule: The bodies are the generally available revision's, without access control

    Scenario: A group answers every property, AdditionalData included, and ignores what it does not have
      When I create a group with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00", "AdditionalData": {"Site": "North", "Lines": [1, 2]}, "Colour": "blue"}
        """
      Then the response status is 201
      And the response is a valid "GroupConfiguration"
      And the response has exactly the properties "Id", "Name", "Description", "FailoverTimeout" and "AdditionalData"
      And the response property "AdditionalData" is {"Site": "North", "Lines": [1, 2]}
      When I get group "A"
      Then the response has exactly the properties "Id", "Name", "Description", "FailoverTimeout" and "AdditionalData"
      And the response property "Name" is null
      And the response property "AdditionalData.Site" is "North"

    Scenario: A group has no access control list nor owner
      When I create a group with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00", "AccessControl": {"RoleTrusteeAccessControlEntries": []}, "Owner": {"Type": 1, "ObjectId": "someone"}}
        """
      Then the response status is 201
      And the response has exactly the properties "Id", "Name", "Description", "FailoverTimeout" and "AdditionalData"

    Scenario: Posting the same group twice answers 200, another with the same Id 409
      Given I create group "A" named "Line 1" with a failover timeout of "00:01:00"
      When I create group "A" named "Line 1" with a failover timeout of "00:01:00"
      Then the response status is 200
      And the response is group "A" with a failover timeout of "00:01:00"
      And the namespace has 1 group
      When I create group "A" named "Line 2" with a failover timeout of "00:01:00"
      Then the request fails with status 409
      When I get group "A"
      Then the response property "Name" is "Line 1"

    Scenario: A session answers RoleOverride and its heartbeat's FailoverScore
      Given a failover group "A" with a failover timeout of "00:05:00"
      And client "S1" has joined group "A"
      When client "S1" sends a heartbeat with the body:
        """
        {"FailoverScore": 75.5, "LastDataProcessedTime": "2026-01-01T10:00:00Z", "HeartbeatTime": "2026-01-01T10:00:05Z"}
        """
      Then the response status is 200
      And the response is a valid "FailoverResponse"
      When I get client "S1"
      Then the response is a valid "ClientSession"
      And the response has exactly the properties "Id", "Name", "Heartbeat", "Role", "HeartbeatPosted", "RoleOverride", "RoleOverrideExpirationTime" and "AdditionalData"
      And the response property "Heartbeat.FailoverScore" is 75.5
      And the response property "Heartbeat.LastDataProcessedTime" is "2026-01-01T10:00:00Z"
      And the response property "RoleOverride" is 0

    Scenario Outline: A heartbeat without a FailoverScore fails with 400: <body>
      Given a failover group "A" with a failover timeout of "00:05:00"
      And client "S1" has joined group "A"
      When client "S1" sends a heartbeat with the body:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "FailoverScore"
      When I get client "S1"
      Then the response property "HeartbeatPosted" is false

      Examples:
        | body                                              |
        | {}                                                |
        | {"LastDataProcessedTime": "2026-01-01T10:00:00Z"} |
        | {"FailoverStatus": 100}                           |

  Rule: There are no access control lists

    Scenario Outline: <method> <path> is not an operation of the service
      Given a failover group "A"
      When I send <method> to "<path>" with the body:
        """
        {"RoleTrusteeAccessControlEntries": []}
        """
      Then the request fails with status 404

      Examples:
        | method | path                                            |
        | GET    | /api/v1/clientfailover/groups/{A}/accesscontrol |
        | PUT    | /api/v1/clientfailover/groups/{A}/accesscontrol |
        | GET    | /api/v1/accesscontrol/clientfailover/groups     |
        | PUT    | /api/v1/accesscontrol/clientfailover/groups     |

  Rule: An operator can also force a client to Secondary (Value Secondary, answered 2), which is then never chosen

    Background:
      Given a failover group "A" with a failover timeout of "00:05:00"
      And clients "S1" and "S2" have joined group "A"

    Scenario: Forcing a client to Secondary until further notice
      When an operator forces client "S1" to Secondary
      Then the response status is 200
      And the response is a valid "RoleOverrideResponse"
      And the response has exactly the properties "Value" and "RoleOverrideExpirationTime"
      And the response property "Value" is 2
      And the response property "RoleOverrideExpirationTime" is null
      And client "S1" has an override to Secondary that never expires
      When I get client "S1"
      Then the response is a valid "ClientSession"
      And the response property "RoleOverride" is 2
      And the response property "Role" is 0

    Scenario Outline: Secondary is read by its number or its name in any case: <value>
      When an operator sends the role override of client "S1":
        """
        {"Value": <value>, "ExpirationPeriod": null}
        """
      Then the response status is 200
      And the response property "Value" is 2
      And client "S1" has an override to Secondary that never expires

      Examples:
        | value       |
        | 2           |
        | "Secondary" |
        | "secondary" |
        | "SECONDARY" |

    Scenario: An unknown Value lists the three the service has
      When an operator sends the role override of client "S1":
        """
        {"Value": "Tertiary"}
        """
      Then the request fails with status 400
      And the error response mentions "0 (Off), 1 (Primary), 2 (Secondary)"
      And client "S1" has no override

    Scenario: A client forced to Secondary is never chosen, whatever its score
      Given an operator forces client "S1" to Secondary
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Secondary
      When client "S2" sends a heartbeat with score 10
      Then the heartbeat response tells "S2" it is Primary
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Secondary
      And the status of group "A" shows "S2" as primary and no pending primary

    Scenario: Any number of clients may be forced to Secondary, and a Primary override leaves theirs alone
      Given client "S3" has joined group "A"
      When an operator forces client "S1" to Secondary
      And an operator forces client "S2" to Secondary
      And an operator forces client "S3" to Primary
      Then client "S1" has an override to Secondary that never expires
      And client "S2" has an override to Secondary that never expires
      And client "S3" has an override to Primary that never expires
      And client "S3" is Primary
      When an operator forces client "S1" to Primary
      Then client "S1" has an override to Primary that never expires
      And client "S3" has no override
      And client "S2" has an override to Secondary that never expires

    @emulator
    Scenario: Forcing the Primary to Secondary demotes it at once, and the best candidate takes over
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 80
      When an operator forces client "S1" to Secondary
      Then the response property "Value" is 2
      And the group status shows no primary and "S2" as pending primary
      And client "S1" is Secondary
      When client "S2" sends a heartbeat with score 80
      And client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is Primary
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Secondary
      And the events of group "A" are:
        | Session | From           | To             | Rule         | Time                 |
        | S1      | Secondary      | Primary        | FirstPrimary | 2026-01-01T00:00:00Z |
        | S1      | Primary        | Secondary      | Override     | 2026-01-01T00:00:00Z |
        | S2      | Secondary      | PendingPrimary | NoPrimary    | 2026-01-01T00:00:00Z |
        | S2      | PendingPrimary | Primary        | HandOver     | 2026-01-01T00:00:00Z |

    @emulator
    Scenario: A forced Secondary ends after its period, and the rules decide again
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And client "S2" has sent a heartbeat with score 50
      And an operator forces client "S1" to Secondary for "00:01:00"
      And the response property "RoleOverrideExpirationTime" is "2026-01-01T00:01:00Z"
      And client "S1" has sent a heartbeat with score 100
      And the group status shows "S2" as primary and no pending primary
      When 30 seconds pass
      And client "S1" sends a heartbeat with score 100
      And client "S2" sends a heartbeat with score 50
      And 30 seconds pass
      Then client "S1" has no override
      And the group status shows no primary and "S1" as pending primary
      And the events show "S1" went from Secondary to PendingPrimary by rule "WeakPrimary" at "2026-01-01T00:01:00Z"

  Rule: The service is one scope of its own, beside the cloud's tenants and namespaces

    # Only the emulator serves both surfaces.
    @emulator
    Scenario: A whole failover story on-premises leaves a cloud adapter of a group with the same Id alone
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And a failover group "A" with a failover timeout of "00:00:30"
      And a failover group "A" with a failover timeout of "00:00:30" through the v1 API
      And clients "S1" and "S2" have joined group "A"
      And client "C1" has joined group "A" through the v1 API
      And client "C1" has sent a heartbeat with score 40
      # The first Primary.
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Primary
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is Secondary
      # S1 goes silent: S2 takes over through PendingPrimary.
      When 20 seconds pass
      And client "S2" sends a heartbeat with score 80
      And client "C1" sends a heartbeat with score 40
      And 11 seconds pass
      Then the group status shows no primary and "S2" as pending primary
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is PendingPrimary
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is Primary
      # S1 comes back healthier; an operator keeps it Secondary for maintenance.
      When an operator forces client "S1" to Secondary
      And client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Secondary
      And the group status shows "S2" as primary and no pending primary
      # The override is turned off: the healthier S1 replaces S2.
      When an operator turns off the override of client "S1"
      Then the group status shows no primary and "S1" as pending primary
      When client "S1" sends a heartbeat with score 100
      And client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Primary
      And the events of group "A" are:
        | Session | From           | To             | Rule         | Time                 |
        | S1      | Secondary      | Primary        | FirstPrimary | 2026-01-01T00:00:00Z |
        | S1      | Primary        | Secondary      | Lapsed       | 2026-01-01T00:00:30Z |
        | S2      | Secondary      | PendingPrimary | NoPrimary    | 2026-01-01T00:00:30Z |
        | S2      | PendingPrimary | Primary        | HandOver     | 2026-01-01T00:00:31Z |
        | S2      | Primary        | Secondary      | WeakPrimary  | 2026-01-01T00:00:31Z |
        | S1      | Secondary      | PendingPrimary | WeakPrimary  | 2026-01-01T00:00:31Z |
        | S1      | PendingPrimary | Primary        | HandOver     | 2026-01-01T00:00:31Z |
      # The cloud adapter in its namespace saw none of it.
      When I get the status of group "A" through the v1 API
      Then the response property "Primary" is "{C1}"
      And the response property "PendingPrimary" is null
      And the events of group "A" through the v1 API are:
        | Session | From      | To      | Rule       | Time                 |
        | C1      | Secondary | Primary | OnlyClient | 2026-01-01T00:00:00Z |
      When I list the clients of group "A" through the v1 API
      Then the response lists the clients "C1"
      When I list the clients of group "A"
      Then the response lists the clients "S1" and "S2"

    @emulator
    Scenario: The journal records the on-premises surface, with no tenant or namespace
      When I create group "A"
      And client "S1" joins group "A"
      And I get group "A" through the v1 API
      Then the journal holds these requests:
        | Method | Path                                                                      | Operation             | Surface | Tenant   | Namespace   | Status |
        | POST   | /api/v1/clientfailover/groups                                             | PostGroup             | onprem  |          |             | 201    |
        | POST   | /api/v1/clientfailover/groups/{A}/clientsessions                          | PostClientSession     | onprem  |          |             | 201    |
        | GET    | /api/v1/tenants/{tenant}/namespaces/{namespace}/clientfailover/groups/{A} | GetGroupConfiguration | v1      | {tenant} | {namespace} | 404    |
      And the journal filtered by "surface=onprem" holds 2 requests

    @emulator
    Scenario: A heartbeat sending the preview's score is refused, and the journal shows the property it ignored
      Given a failover group "A"
      And client "S1" has joined group "A"
      When client "S1" sends a heartbeat with the body:
        """
        {"FailoverStatus": 100}
        """
      Then the request fails with status 400
      And the error response mentions "FailoverScore"
      When I send GET to "/_emulator/requests?operation=PostHeartbeatMessage"
      Then the response property "Requests.0.Surface" is "onprem"
      And the response property "Requests.0.IgnoredProperties" is ["FailoverStatus"]

  @emulator
  Rule: A body larger than 1 MiB fails with 413 on every operation that takes one

    Scenario Outline: <method> <path> with a body over 1 MiB fails with 413 and changes nothing
      Given a failover group "A"
      And client "S1" has joined group "A"
      And I take note of the emulator state
      When I send <method> to "<path>" with a JSON body of 1048577 bytes
      Then the request fails with status 413
      And the emulator state is unchanged

      Examples:
        | method | path                                                               |
        | POST   | /api/v1/clientfailover/groups                                      |
        | PUT    | /api/v1/clientfailover/groups/{A}                                  |
        | POST   | /api/v1/clientfailover/groups/{A}/clientsessions                   |
        | POST   | /api/v1/clientfailover/groups/{A}/clientsessions/{S1}/heartbeat    |
        | POST   | /api/v1/clientfailover/groups/{A}/clientsessions/{S1}/roleoverride |
        | PUT    | /api/v1/configuration                                              |
        | PUT    | /api/v1/configuration/logging                                      |
        | POST   | /api/v1/configuration/healthEndpoints                              |
        | PUT    | /api/v1/configuration/healthEndpoints                              |
        | PUT    | /api/v1/configuration/healthEndpoints/{E1}                         |
