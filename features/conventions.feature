Feature: Conventions every operation follows
  The service is an ASP.NET application: it matches the literal parts of a
  path in any case, reads JSON property names in any case and answers in
  PascalCase with every property present, matches ids in any case and keeps
  them as first written, and answers every error with an ErrorResponse.

  Rule: Paths and property names are read in any case

    # The on-premises service's paths: onprem.feature.
    @cloud
    Scenario: Literal path segments match in any case
      Given a failover group "A"
      When I send GET to "/api/v1-preview/Tenants/{tenant}/Namespaces/{namespace}/ClientFailover/Groups"
      Then the response status is 200
      And the response lists the groups "A"
      When I send GET to "/API/V1-PREVIEW/TENANTS/{tenant}/NAMESPACES/{namespace}/CLIENTFAILOVER/GROUPS/{A}/STATUS"
      Then the response status is 200

    Scenario: A trailing slash is ignored, as ASP.NET routing does
      Given a failover group "A"
      When I send GET to "{api}/clientfailover/groups/"
      Then the response status is 200
      And the response lists the groups "A"
      When I send GET to "{api}/clientfailover/groups/{A}/"
      Then the response status is 200

    @cloud
    Scenario: The configuration path of current adapters works
      Given a failover group "A"
      When I send GET to "/api/v1/Tenants/{tenant}/Namespaces/{namespace}/ClientFailover/Groups/{A}"
      Then the response status is 200

    Scenario: JSON property names are read in any case
      When I create a group with the body:
        """
        {"id": "{A}", "NAME": "lower and upper", "failoverTimeout": "00:01:00"}
        """
      Then the response status is 201
      And the response is group "A" with a failover timeout of "00:01:00"
      And the response property "Name" is "lower and upper"

    # The preview's group; the on-premises one: onprem.feature.
    @cloud
    Scenario: Unknown properties are ignored
      When I create a group with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "00:01:00", "Colour": "blue"}
        """
      Then the response status is 201
      And the response has exactly the properties "Id", "Name", "Description" and "FailoverTimeout"

  Rule: Answers are PascalCase with every property, nulls included

    @cloud
    Scenario: A group without a name answers its null name and description
      When I create group "A" with a failover timeout of "00:01:00"
      Then the response has exactly the properties "Id", "Name", "Description" and "FailoverTimeout"
      And the response property "Name" is null
      And the response property "Description" is null
      When I get group "A"
      Then the response has exactly the properties "Id", "Name", "Description" and "FailoverTimeout"

    Scenario: A client session answers every property
      Given a failover group "A"
      When client "S1" joins group "A"
      Then the response has exactly the properties "Id", "Name", "Heartbeat", "Role", "HeartbeatPosted", "{override}", "RoleOverrideExpirationTime" and "AdditionalData"

  Rule: Ids match in any case and keep the case they were first written in

    Scenario: A group is found by its id in any case and keeps its first spelling
      Given a failover group "A"
      When I send GET to "{api}/clientfailover/groups/{upper:A}"
      Then the response status is 200
      And the response property "Id" is "{A}"
      When I send PUT to "{api}/clientfailover/groups/{lower:A}" with the body:
        """
        {"FailoverTimeout": "00:02:00"}
        """
      Then the response status is 200
      And the response property "Id" is "{A}"
      And the namespace has 1 group

    Scenario: Creating a group whose id differs only in case fails with 409
      Given a failover group "A"
      When I create a group with the body:
        """
        {"Id": "{upper:A}", "FailoverTimeout": "00:01:00"}
        """
      Then the request fails with status 409

    @cloud
    Scenario: Tenant and namespace ids match in any case
      Given a failover group "A"
      When I send GET to "/api/v1-preview/tenants/{upper:tenant}/namespaces/{upper:namespace}/clientfailover/groups"
      Then the response status is 200
      And the response lists the groups "A"

    Scenario: A client is found by its id in any case
      Given a failover group "A"
      And client "S1" has joined group "A"
      When I send GET to "{api}/clientfailover/groups/{lower:A}/clientsessions/{upper:S1}"
      Then the response status is 200
      And the response property "Id" is "{S1}"

    Scenario: A client joining again under its id in another case is the same client
      Given a failover group "A"
      And client "S1" has joined group "A"
      When I send POST to "{api}/clientfailover/groups/{A}/clientsessions" with the body:
        """
        {"Id": "{upper:S1}"}
        """
      Then the response status is 200
      And the response property "Id" is "{S1}"
      When I list the clients of group "A"
      Then the response lists the clients "S1"

  Rule: Errors are ErrorResponses

    Scenario Outline: A path the API does not have answers 404
      When I send GET to "<path>"
      Then the request fails with status 404

      Examples:
        | path                                    |
        | /                                       |
        | {api}/clientfailover/groups/{A}/nothing |
        | {api}/clientfailover/nothing            |
        | /api/v2/clientfailover                  |

      @cloud
      Examples: the cloud's paths
        | path                                                           |
        | /api/v1-preview/tenants/{tenant}                               |
        | /api/v2/tenants/{tenant}/namespaces/{namespace}/clientfailover |

      @onprem
      Examples: the on-premises service's paths
        | path                                            |
        | /api/v1/configuration/nothing                   |
        | /api/v1/clientfailover/groups/{A}/accesscontrol |
        | /api/v1/accesscontrol/clientfailover/groups     |

    Scenario Outline: A method a path does not have answers 405
      Given a failover group "A"
      When I send <method> to "<path>"
      Then the request fails with status 405

      Examples:
        | method | path                                   |
        | PATCH  | {api}/clientfailover/groups/{A}        |
        | DELETE | {api}/clientfailover/groups            |
        | POST   | {api}/clientfailover/groups/{A}        |
        | PUT    | {api}/clientfailover/groups/{A}/status |
        | DELETE | {api}/clientfailover                   |

      @cloud
      Examples: the cloud's paths
        | method | path                                     |
        | PATCH  | {v1}/clientfailover/groups/{A}           |
        | POST   | {v1}/accesscontrol/clientfailover/groups |

      @onprem
      Examples: the on-premises configuration
        | method | path                                       |
        | POST   | /api/v1/configuration                      |
        | DELETE | /api/v1/configuration/logging              |
        | PATCH  | /api/v1/configuration/healthEndpoints      |
        | POST   | /api/v1/configuration/healthEndpoints/{E1} |

  # The documents give no longest id; the emulator's is 256 characters.
  @emulator
  Rule: Ids are at most 256 characters long

    Scenario Outline: An id longer than 256 characters in a path fails with 400
      When I send <method> to "<path>"
      Then the request fails with status 400

      Examples:
        | method | path                                                      |
        | GET    | {api}/clientfailover/groups/{long:257}                    |
        | PUT    | {api}/clientfailover/groups/{long:257}                    |
        | DELETE | {api}/clientfailover/groups/{long:257}                    |
        | GET    | {api}/clientfailover/groups/{long:257}/status             |
        | GET    | {api}/clientfailover/groups/{long:257}/clientsessions     |
        | GET    | {api}/clientfailover/groups/{A}/clientsessions/{long:257} |
        | DELETE | {api}/clientfailover/groups/{A}/clientsessions/{long:257} |

      @cloud
      Examples: tenant and namespace ids
        | method | path                                                                               |
        | GET    | /api/v1-preview/tenants/{long:257}/namespaces/{namespace}/clientfailover           |
        | GET    | /api/v1-preview/tenants/{tenant}/namespaces/{long:257}/clientfailover/groups       |
        | GET    | /api/v1/tenants/{tenant}/namespaces/{long:257}/accesscontrol/clientfailover/groups |

      @onprem
      Examples: health endpoint ids
        | method | path                                             |
        | GET    | /api/v1/configuration/healthEndpoints/{long:257} |
        | PUT    | /api/v1/configuration/healthEndpoints/{long:257} |
        | DELETE | /api/v1/configuration/healthEndpoints/{long:257} |

    Scenario: A group id of 256 characters is accepted
      When I send PUT to "{api}/clientfailover/groups/{long:256}" with the body:
        """
        {"FailoverTimeout": "00:01:00"}
        """
      Then the response status is 201
      When I send GET to "{api}/clientfailover/groups/{long:256}"
      Then the response status is 200

    Scenario: A client id longer than 256 characters fails with 400
      Given a failover group "A"
      When client "S1" joins group "A" with the body:
        """
        {"Id": "{long:257}"}
        """
      Then the request fails with status 400
      And the error response mentions "256"


    Scenario: A group id longer than 256 characters fails with 400
      When I create a group with the body:
        """
        {"Id": "{long:257}", "FailoverTimeout": "00:01:00"}
        """
      Then the request fails with status 400
      And the namespace has 0 groups

  Rule: Request bodies are JSON objects of at most 1 MiB

    Scenario: A body larger than 1 MiB fails with 413 and creates nothing
      When I send POST to "{api}/clientfailover/groups" with a JSON body of 1048577 bytes
      Then the request fails with status 413
      And the namespace has 0 groups

    Scenario: A body of exactly 1 MiB is read
      When I send POST to "{api}/clientfailover/groups" with a JSON body of 1048576 bytes
      Then the response status is 201

    Scenario Outline: A body that is not a JSON object fails with 400 and creates nothing
      When I create a group with the body:
        """
        <body>
        """
      Then the request fails with status 400
      And the namespace has 0 groups

      Examples:
        | body                                            |
        | {"Id": "{A}", "FailoverTimeout": "00:01:00"     |
        | {"Id": "{A}", "FailoverTimeout": "00:01:00"} {} |
        | {'Id': '{A}'}                                   |
        | [{"Id": "{A}", "FailoverTimeout": "00:01:00"}]  |
        | []                                              |
        | 42                                              |
        | "a group"                                       |
        | true                                            |
        | null                                            |
        | not json at all                                 |

  Rule: A failed request changes nothing

    Scenario: A rejected replacement leaves the group and its clients as they were
      Given a failover group "A" with a failover timeout of "00:05:00"
      And client "S1" has joined group "A"
      And client "S1" has sent a heartbeat with score 100
      And I take note of group "A"
      When I put group "A" with the body:
        """
        {"Id": "{A}", "FailoverTimeout": "-00:05:00"}
        """
      Then the request fails with status 400
      And group "A" is unchanged

    Scenario: A rejected heartbeat leaves the group and its clients as they were
      Given a failover group "A" with a failover timeout of "00:05:00"
      And client "S1" has joined group "A"
      And client "S1" has sent a heartbeat with score 100
      And I take note of group "A"
      When client "S1" sends a heartbeat with the body:
        """
        {"{score}": 150}
        """
      Then the request fails with status 400
      And group "A" is unchanged
