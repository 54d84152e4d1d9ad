@cloud @emulator @auth
Feature: Authorisation
  When the emulator requires tokens, as the service does, every call to the
  API carries a bearer token: a client gets one from the token endpoint with
  its id and secret (the OAuth 2.0 client-credentials grant), valid for an
  hour; a user of a fixture may have a fixed one. Access control lists then
  decide what the caller may do. Their rights are bit flags: Read 1,
  Write 2, Delete 4, ManageAccessControl 8, Share 16. An operation on a
  group needs the right on the group's own list, an operation on the
  collection of groups the right on the collection's list, and Get
  Information only a token of the tenant.

  Every tenant has the built-in roles; every client and user holds Tenant
  Member. A namespace's collection list starts by allowing Tenant
  Administrator everything, Tenant Contributor Read and Write, and Tenant
  Member Read.

  Rule: A call without a valid bearer token gets 401 and a Bearer challenge

    Background:
      Given the emulator requires tokens and knows these clients:
        | Id     | Secret        | Roles         |
        | reader | reader-secret | Tenant Member |

    Scenario: A token from the token endpoint is accepted
      Given I call as client "reader"
      When I list the groups
      Then the response status is 200


    Scenario: The Bearer scheme is read in any case
      Given I call as client "reader" with the scheme written "bearer"
      When I list the groups
      Then the response status is 200

    Scenario: A call without a token is refused
      Given I call without a token
      When I list the groups
      Then the request is refused for want of a valid token

    Scenario: Credentials that are not a bearer token are refused
      Given I call with the Authorization header "Basic cmVhZGVyOnJlYWRlci1zZWNyZXQ="
      When I list the groups
      Then the request is refused for want of a valid token

    Scenario: A token the emulator never issued is refused
      Given I call with the token "a-token-nobody-issued"
      When I get the service information
      Then the request is refused for want of a valid token

    Scenario: A token expires an hour after it was issued, on the emulator clock
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And I call as client "reader"
      When 59 minutes pass
      And I list the groups
      Then the response status is 200
      When 2 minutes pass
      And I list the groups
      Then the request is refused for want of a valid token

    Scenario: A fixed token of a fixture user does not expire
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And the emulator also knows these users:
        | Id    | Roles                | Token       |
        | alice | Tenant Administrator | alice-token |
      And I call as user "alice"
      When 2880 minutes pass
      And I list the groups
      Then the response status is 200

  Rule: The token endpoint issues tokens with the client-credentials grant

    Background:
      Given the emulator requires tokens and knows these clients:
        | Id     | Secret        | Roles         |
        | reader | reader-secret | Tenant Member |

    Scenario: A client with the right secret gets a bearer token for an hour
      When client "reader" asks for a token with the secret "reader-secret"
      Then the response status is 200
      And the response property "token_type" is "Bearer"
      And the response property "expires_in" is 3600
      And the response property "access_token" is a non-empty string
      And the response header "Cache-Control" is "no-store"

    Scenario: The credentials may come in HTTP Basic
      When client "reader" asks for a token with the secret "reader-secret" in HTTP Basic
      Then the response status is 200
      And the response property "token_type" is "Bearer"
      And the response property "access_token" is a non-empty string


    Scenario: Credentials in HTTP Basic are form-encoded first, as OAuth 2.0 says
      Given the emulator also knows these clients:
        | Id      | Secret       | Roles         |
        | encoded | p@ss word+/= | Tenant Member |
      When client "encoded" asks for a token with the secret "p@ss word+/=" in HTTP Basic
      Then the response status is 200
      And the response property "token_type" is "Bearer"

    Scenario: A secret with reserved characters works in the form
      Given the emulator also knows these clients:
        | Id      | Secret       | Roles         |
        | encoded | p@ss word+/= | Tenant Member |
      When client "encoded" asks for a token with the secret "p@ss word+/="
      Then the response status is 200
      And the response property "token_type" is "Bearer"

    Scenario: A wrong secret gets 401 invalid_client
      When client "reader" asks for a token with the secret "guessed"
      Then the response status is 401
      And the response property "error" is "invalid_client"

    Scenario: An unknown client gets 401 invalid_client
      When client "stranger" asks for a token with the secret "reader-secret"
      Then the response status is 401
      And the response property "error" is "invalid_client"

    Scenario: A grant other than client credentials gets 400 unsupported_grant_type
      When I ask for a token with the form "grant_type=password&client_id={reader}&client_secret=reader-secret&username=reader&password=x"
      Then the response status is 400
      And the response property "error" is "unsupported_grant_type"

    Scenario: The discovery document names the token endpoint
      When I send GET to "/identity/.well-known/openid-configuration"
      Then the response status is 200
      And the response property "token_endpoint" is "{server}/identity/connect/token"
      And the response property "grant_types_supported" is ["client_credentials"]

  Rule: An operation on the collection of groups needs the right on the collection's list

    Background:
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And the emulator requires tokens and knows these clients:
        | Id       | Secret          | Roles                | Tenant |
        | admin    | admin-secret    | Tenant Administrator |        |
        | nobody   | nobody-secret   |                      |        |
        | stranger | stranger-secret | Tenant Administrator | Other  |
      And I call as client "admin"
      And the collection access control list has been set to:
        | Type | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
      And a failover group "A"
      And client "S1" has joined group "A"
      And client "S1" has sent a heartbeat with score 100
      And I take note of the emulator state

    Scenario Outline: <operation> without the right gets 403 and changes nothing
      Given I call as client "<caller>"
      When I send a valid "<operation>" request
      Then the request fails with status 403
      And the emulator state is unchanged

      Examples: a client of the tenant the collection's list grants nothing
        | operation                 | caller |
        | List Group Configurations | nobody |
        | Post Group                | nobody |
        | Get Collection Acl        | nobody |
        | Set Collection Acl        | nobody |

      Examples: Get Information needs only a token of the tenant
        | operation       | caller   |
        | Get Information | stranger |

    Scenario: A client of the tenant without any right still gets the service information
      Given I call as client "nobody"
      When I get the service information
      Then the response status is 200

  Rule: An operation on a group needs the right on the group's own list

    Background:
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And the emulator requires tokens and knows these clients:
        | Id     | Secret        | Roles                |
        | admin  | admin-secret  | Tenant Administrator |
        | nobody | nobody-secret |                      |
      And I call as client "admin"
      And a failover group "A"
      And client "S1" has joined group "A"
      And client "S1" has sent a heartbeat with score 100
      And the access control list of group "A" has been set to:
        | Type | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
      And the collection access control list has been set to:
        | Type   | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role   | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Client | {nobody}                    | {tenant} | Allowed    | 31           |
      And I take note of the emulator state
      And I call as client "nobody"

    Scenario Outline: <operation> without the right on the group's list gets 403 and changes nothing
      When I send a valid "<operation>" request
      Then the request fails with status 403
      And the emulator state is unchanged

      Examples:
        | operation               |
        | Get Group Configuration |
        | Put Group               |
        | Get Group Status        |
        | List Client Sessions    |
        | Post Client Session     |
        | Get Client Session      |
        | Delete Client Session   |
        | Post Heartbeat Message  |
        | Post Role Override      |
        | Get Group Acl           |
        | Set Group Acl           |

    Scenario: Delete Group without the right gets 403 with no body and changes nothing
      When I send a valid "Delete Group" request
      Then the response status is 403
      And the response body is empty
      And the emulator state is unchanged

    Scenario: The collection's list still governs the collection
      When I send a valid "Post Group" request
      Then the response status is 201

    Scenario: A group that does not exist is judged by the collection's list, then not found
      When I get group "Missing"
      Then the request fails with status 404

  Rule: Read alone lets a caller list and read, and nothing else

    Background:
      Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
      And the emulator requires tokens and knows these clients:
        | Id     | Secret        | Roles                |
        | admin  | admin-secret  | Tenant Administrator |
        | reader | reader-secret | Tenant Member        |
      And I call as client "admin"
      And a failover group "A"
      And client "S1" has joined group "A"
      And client "S1" has sent a heartbeat with score 100
      And I take note of the emulator state
      And I call as client "reader"

    Scenario: A Tenant Member reads the groups and clients
      When I list the groups
      Then the response status is 200
      And the response lists the groups "A"
      When I get group "A"
      Then the response is group "A" with a failover timeout of "00:00:30"
      When I get the status of group "A"
      Then the response status is 200
      And the response property "Primary" is "{S1}"
      When I list the clients of group "A"
      Then the response lists the clients "S1"
      When I get client "S1"
      Then the response status is 200

    Scenario Outline: A Tenant Member gets 403 on <operation> and changes nothing
      When I send a valid "<operation>" request
      Then the request fails with status 403
      And the emulator state is unchanged

      Examples:
        | operation              |
        | Post Group             |
        | Put Group              |
        | Post Client Session    |
        | Delete Client Session  |
        | Post Heartbeat Message |
        | Post Role Override     |
        | Get Collection Acl     |
        | Set Collection Acl     |
        | Get Group Acl          |
        | Set Group Acl          |

    Scenario: A Tenant Member cannot delete a group either
      When I delete group "A"
      Then the response status is 403
      And the response body is empty
      And the emulator state is unchanged

  Rule: A Denied entry beats any Allowed one

    Scenario: A contributor denied Write cannot create a group but can still read
      Given the emulator requires tokens and knows these clients:
        | Id      | Secret         | Roles                |
        | admin   | admin-secret   | Tenant Administrator |
        | adapter | adapter-secret | Tenant Contributor   |
      And the emulator also knows these users:
        | Id      | Roles              | Token         |
        | mallory | Tenant Contributor | mallory-token |
      And I call as client "admin"
      And the collection access control list has been set to:
        | Type | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Role | {role:Tenant Contributor}   | {tenant} | Allowed    | 3            |
        | User | {mallory}                   | {tenant} | Denied     | 2            |
      And I call as user "mallory"
      When I create group "A"
      Then the request fails with status 403
      And group "A" does not exist
      When I list the groups
      Then the response status is 200
      When I call as client "adapter"
      And I create group "A"
      Then the response status is 201

  Rule: A role trustee grants its rights to every holder of the role

    Scenario: A client holding a custom role the collection's list allows Write creates a group
      Given the emulator requires tokens and knows these clients:
        | Id       | Secret          | Roles                |
        | admin    | admin-secret    | Tenant Administrator |
        | operator | operator-secret | Failover Operators   |
        | plain    | plain-secret    |                      |
      And I call as client "admin"
      And the collection access control list has been set to:
        | Type | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Role | {role:Failover Operators}   | {tenant} | Allowed    | 3            |
      And I call as client "operator"
      When I create group "A"
      Then the response status is 201
      When I call as client "plain"
      And I create group "B"
      Then the request fails with status 403

  Rule: A new group takes the collection's list as its own and its creator as Owner

    Background:
      Given the emulator requires tokens and knows these clients:
        | Id      | Secret         | Roles                |
        | admin   | admin-secret   | Tenant Administrator |
        | adapter | adapter-secret | Tenant Contributor   |
      And I call as client "admin"
      And the collection access control list has been set to:
        | Type | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Role | {role:Tenant Contributor}   | {tenant} | Allowed    | 3            |
        | User | {Operator}                  | {tenant} | Allowed    | 1            |

    Scenario: The v1 group shows its creator as Owner and the collection's list
      Given I call as client "adapter"
      When I create group "A" through the v1 API
      Then the response status is 201
      And the response property "Owner.Type" is 2
      And the response property "Owner.ObjectId" is "{adapter}"
      And the response property "Owner.TenantId" is "{tenant}"
      When I get group "A" through the v1 API
      Then the response property "Owner.ObjectId" is "{adapter}"
      And the response property "AccessControl" lists the access control entries:
        | Type | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Role | {role:Tenant Contributor}   | {tenant} | Allowed    | 3            |
        | User | {Operator}                  | {tenant} | Allowed    | 1            |

    Scenario: The group keeps its copy when the collection's list changes later
      Given I call as client "adapter"
      And I create group "A"
      And I call as client "admin"
      And the collection access control list has been set to:
        | Type | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
      When I get the access control list of group "A"
      Then the response status is 200
      And the response lists the access control entries:
        | Type | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Role | {role:Tenant Contributor}   | {tenant} | Allowed    | 3            |
        | User | {Operator}                  | {tenant} | Allowed    | 1            |

    Scenario: A group created with Put Group has its creator as Owner too
      Given I call as client "adapter"
      When I put group "A" through the v1 API
      Then the response status is 201
      And the response property "Owner.Type" is 2
      And the response property "Owner.ObjectId" is "{adapter}"

  Rule: A token is good for its own tenant only

    Scenario: A token of one tenant cannot see another tenant's groups
      Given the emulator requires tokens and knows these clients:
        | Id     | Secret        | Roles                | Tenant |
        | ours   | ours-secret   | Tenant Administrator |        |
        | theirs | theirs-secret | Tenant Administrator | B      |
      And I call as client "theirs"
      And a failover group "X" in tenant "B"
      And I call as client "ours"
      When I list the groups in tenant "B"
      Then the request fails with status 403
      When I get group "X" in tenant "B"
      Then the request fails with status 403
      When I list the groups
      Then the response status is 200
      And the response lists no groups

  Rule: Get and Set Group Acl need ManageAccessControl on the group

    Scenario: A client allowed to manage access reads and replaces a group's list
      Given the emulator requires tokens and knows these clients:
        | Id     | Secret        | Roles                |
        | admin  | admin-secret  | Tenant Administrator |
        | keeper | keeper-secret |                      |
      And I call as client "admin"
      And the collection access control list has been set to:
        | Type   | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role   | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Client | {keeper}                    | {tenant} | Allowed    | 8            |
      And a failover group "A"
      And I call as client "keeper"
      When I get the access control list of group "A"
      Then the response status is 200
      And the response is a valid "AccessControlList"
      And the response lists the access control entries:
        | Type   | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role   | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Client | {keeper}                    | {tenant} | Allowed    | 8            |
      When I set the access control list of group "A" to:
        | Type   | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role   | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Client | {keeper}                    | {tenant} | Allowed    | 9            |
      Then the response status is 204
      And the response body is empty
      And the access control list of group "A" is:
        | Type   | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role   | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Client | {keeper}                    | {tenant} | Allowed    | 9            |
      When I get group "A"
      Then the response is group "A" with a failover timeout of "00:00:30"
