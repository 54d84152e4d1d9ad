@cloud
Feature: Access control list of the groups collection
  The collection of failover groups of a namespace has an access control
  list: who may read, write, delete, share the groups or manage their
  access. Rights are bit flags: Read 1, Write 2, Delete 4,
  ManageAccessControl 8, Share 16. A new group takes the collection's list.

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
      | type   | access  | rights |
      | 4      | Allowed | 1      |
      | 0      | Allowed | 1      |
      | "Team" | Allowed | 1      |
      | User   | 2       | 1      |
      | User   | -1      | 1      |
      | User   | Allowed | -1     |
      | User   | Allowed | 1.5    |

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
