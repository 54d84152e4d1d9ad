@cloud
Feature: Access control list of the groups collection
  The collection of failover groups of a namespace has an access control
  list: who may read, write, delete, share the groups or manage their
  access. Rights are bit flags: Read 1, Write 2, Delete 4,
  ManageAccessControl 8, Share 16. A new group takes the collection's list.
  The list lives at /api/v1/tenants/{t}/namespaces/{n}/accesscontrol/clientfailover/groups
  and, as every preview revision documents it, at the same path under
  /api/v1-preview: one list. Trustee types (User 1, Client 2, Role 3) and
  access types (Allowed 0, Denied 1) may be sent by name in any case; the
  answers carry the numbers. The on-premises service has no such lists.

  The scenarios that change the list run only against the emulator: on a
  real namespace a wrong list could lock the caller out.

  Scenario: The collection list can be read
    When I get the collection access control list
    Then the response status is 200
    And the response is a valid "AccessControlList"

  @emulator
  Scenario: A namespace starts with the built-in roles' default list
    When I get the collection access control list
    Then the response status is 200
    And the response is a valid "AccessControlList"
    And the response lists the access control entries:
      | Type | ObjectId                    | TenantId | AccessType | AccessRights |
      | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
      | Role | {role:Tenant Contributor}   | {tenant} | Allowed    | 3            |
      | Role | {role:Tenant Member}        | {tenant} | Allowed    | 1            |

  @emulator
  Scenario: A list that is set is read back
    When I set the collection access control list to:
      | Type   | ObjectId                    | TenantId | AccessType | AccessRights |
      | Role   | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
      | User   | {Operator}                  | {tenant} | Allowed    | 7            |
      | Client | {Collector}                 | null     | Denied     | 2            |
    Then the response status is 204
    And the response body is empty
    And the collection access control list is:
      | Type   | ObjectId                    | TenantId | AccessType | AccessRights |
      | Role   | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
      | User   | {Operator}                  | {tenant} | Allowed    | 7            |
      | Client | {Collector}                 | null     | Denied     | 2            |

  @emulator
  Scenario: Property names of a list are read in any case
    When I send PUT to "{v1}/accesscontrol/clientfailover/groups" with the body:
      """
      {"roleTrusteeAccessControlEntries": [{"trustee": {"type": 1, "objectId": "{Operator}", "tenantId": "{tenant}"}, "accessType": 0, "accessRights": 3}]}
      """
    Then the response status is 204
    And the collection access control list is:
      | Type | ObjectId   | TenantId | AccessType | AccessRights |
      | User | {Operator} | {tenant} | Allowed    | 3            |

  @emulator
  Scenario: An empty list can be set
    When I set the collection access control list to:
      | Type | ObjectId | TenantId | AccessType | AccessRights |
    Then the response status is 204
    And the collection access control list is:
      | Type | ObjectId | TenantId | AccessType | AccessRights |

  @emulator
  Scenario: The list of one namespace is not the list of another
    Given I set the collection access control list to:
      | Type | ObjectId   | TenantId | AccessType | AccessRights |
      | User | {Operator} | {tenant} | Allowed    | 31           |
    When I send GET to "/api/v1/tenants/{tenant}/namespaces/{Other}/accesscontrol/clientfailover/groups"
    Then the response status is 200
    And the response lists the access control entries:
      | Type | ObjectId                    | TenantId | AccessType | AccessRights |
      | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
      | Role | {role:Tenant Contributor}   | {tenant} | Allowed    | 3            |
      | Role | {role:Tenant Member}        | {tenant} | Allowed    | 1            |

  @emulator
  Scenario Outline: An entry that is not valid fails with 400 and leaves the list unchanged
    Given I set the collection access control list to:
      | Type | ObjectId   | TenantId | AccessType | AccessRights |
      | User | {Operator} | {tenant} | Allowed    | 31           |
    When I set the collection access control list to:
      | Type   | ObjectId   | TenantId | AccessType | AccessRights |
      | <type> | {Operator} | {tenant} | <access>   | <rights>     |
    Then the request fails with status 400
    And the collection access control list is:
      | Type | ObjectId   | TenantId | AccessType | AccessRights |
      | User | {Operator} | {tenant} | Allowed    | 31           |

    Examples: an unknown TrusteeType, AccessType, or negative AccessRights
      | type    | access  | rights |
      | 4       | Allowed | 1      |
      | 0       | Allowed | 1      |
      | "Team"  | Allowed | 1      |
      | "Roles" | Allowed | 1      |
      | ""      | Allowed | 1      |
      | "3"     | Allowed | 1      |
      | User    | 2       | 1      |
      | User    | -1      | 1      |
      | User    | "deny"  | 1      |
      | User    | "Maybe" | 1      |
      | User    | Allowed | -1     |
      | User    | Allowed | 1.5    |

  @emulator
  Scenario Outline: A body that is not an access control list fails with 400
    When I send PUT to "{v1}/accesscontrol/clientfailover/groups" with the body:
      """
      <body>
      """
    Then the request fails with status 400
    And the collection access control list is:
      | Type | ObjectId                    | TenantId | AccessType | AccessRights |
      | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
      | Role | {role:Tenant Contributor}   | {tenant} | Allowed    | 3            |
      | Role | {role:Tenant Member}        | {tenant} | Allowed    | 1            |

    Examples:
      | body                                      |
      | {"RoleTrusteeAccessControlEntries": {}}   |
      | {"RoleTrusteeAccessControlEntries": [42]} |
      | [{"Trustee": {"Type": 3}}]                |
      | {"RoleTrusteeAccessControlEntries": [     |

  @emulator
  Scenario: A new group takes the collection's list
    Given I set the collection access control list to:
      | Type | ObjectId   | TenantId | AccessType | AccessRights |
      | User | {Operator} | {tenant} | Allowed    | 15           |
    And a failover group "A"
    When I send GET to "{preview}/clientfailover/groups/{A}/accesscontrol"
    Then the response status is 200
    And the response lists the access control entries:
      | Type | ObjectId   | TenantId | AccessType | AccessRights |
      | User | {Operator} | {tenant} | Allowed    | 15           |

  Rule: Trustee Type and AccessType are read by their names in any case, and answered as numbers

    @emulator
    Scenario: Names in any case are stored as the numbers they stand for
      When I set the collection access control list to:
        | Type     | ObjectId                    | TenantId | AccessType | AccessRights |
        | "role"   | {role:Tenant Administrator} | {tenant} | "Allowed"  | 31           |
        | "Client" | {Collector}                 | {tenant} | "denied"   | 2            |
        | "USER"   | {Operator}                  | {tenant} | "ALLOWED"  | 7            |
        | "rOlE"   | {role:Tenant Member}        | {tenant} | "DeNiEd"   | 16           |
      Then the response status is 204
      And the collection access control list is:
        | Type   | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role   | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
        | Client | {Collector}                 | {tenant} | Denied     | 2            |
        | User   | {Operator}                  | {tenant} | Allowed    | 7            |
        | Role   | {role:Tenant Member}        | {tenant} | Denied     | 16           |
      When I get the collection access control list
      Then the response property "RoleTrusteeAccessControlEntries.0.Trustee.Type" is 3
      And the response property "RoleTrusteeAccessControlEntries.1.Trustee.Type" is 2
      And the response property "RoleTrusteeAccessControlEntries.1.AccessType" is 1
      And the response property "RoleTrusteeAccessControlEntries.2.Trustee.Type" is 1

    @emulator
    Scenario: An unknown Trustee Type name fails with 400 that lists the allowed values
      When I set the collection access control list to:
        | Type   | ObjectId   | TenantId | AccessType | AccessRights |
        | "Team" | {Operator} | {tenant} | Allowed    | 1            |
      Then the request fails with status 400
      And the error response mentions "Team"
      And the error response mentions "1 (User), 2 (Client), 3 (Role)"

    @emulator
    Scenario: An unknown AccessType name fails with 400 that lists the allowed values
      When I set the collection access control list to:
        | Type | ObjectId   | TenantId | AccessType | AccessRights |
        | User | {Operator} | {tenant} | "deny"     | 1            |
      Then the request fails with status 400
      And the error response mentions "deny"
      And the error response mentions "0 (Allowed), 1 (Denied)"

    @emulator
    Scenario: A group's list reads the names too
      Given a failover group "A"
      When I set the access control list of group "A" to:
        | Type   | ObjectId   | TenantId | AccessType | AccessRights |
        | "user" | {Operator} | {tenant} | "denied"   | 4            |
      Then the response status is 204
      And the access control list of group "A" is:
        | Type | ObjectId   | TenantId | AccessType | AccessRights |
        | User | {Operator} | {tenant} | Denied     | 4            |

  Rule: The list is served under the preview's prefix too, the same list as under /api/v1

    Scenario: The list reads the same under both prefixes
      Given I send GET to "{v1}/accesscontrol/clientfailover/groups"
      And the response status is 200
      And I remember the response body
      When I send GET to "{preview}/accesscontrol/clientfailover/groups"
      Then the response status is 200
      And the response is a valid "AccessControlList"
      And the response body is the remembered body

    @emulator
    Scenario: A list set under one prefix is read under the other
      When I send PUT to "{preview}/accesscontrol/clientfailover/groups" with the body:
        """
        {"RoleTrusteeAccessControlEntries": [{"Trustee": {"Type": "User", "ObjectId": "{Operator}", "TenantId": "{tenant}"}, "AccessType": "Allowed", "AccessRights": 3}]}
        """
      Then the response status is 204
      And the response body is empty
      And the collection access control list is:
        | Type | ObjectId   | TenantId | AccessType | AccessRights |
        | User | {Operator} | {tenant} | Allowed    | 3            |
      When I set the collection access control list to:
        | Type | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |
      And I send GET to "{preview}/accesscontrol/clientfailover/groups"
      Then the response lists the access control entries:
        | Type | ObjectId                    | TenantId | AccessType | AccessRights |
        | Role | {role:Tenant Administrator} | {tenant} | Allowed    | 31           |

    @emulator
    Scenario Outline: A method the preview's list path does not have answers 405
      When I send <method> to "{preview}/accesscontrol/clientfailover/groups"
      Then the request fails with status 405

      Examples:
        | method |
        | POST   |
        | DELETE |
