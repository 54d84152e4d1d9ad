package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/auth"
	"github.com/adh-emulator/clientfailover/emulator/ids"
	"github.com/adh-emulator/clientfailover/emulator/operation"
	"github.com/adh-emulator/clientfailover/emulator/store"
)

// access is what an operation needs from the caller under --auth token.
type access struct {
	onGroup bool  // the group's own list governs (else the collection list)
	right   int64 // 0: any caller of the tenant
}

func collectionRight(r int64) access { return access{right: r} }
func groupRight(r int64) access      { return access{onGroup: true, right: r} }

var tenantOnly = access{}

// authorize answers 401 or 403 when the caller may not run the operation,
// and otherwise returns the caller (nil under --auth none, where every
// caller is a tenant administrator, and on the on-premises surface).
func (s *Server) authorize(c *gin.Context, sf surface, rt route, scope store.Scope) (*auth.Principal, *response) {
	if *s.authMode.Load() != AuthToken {
		return nil, nil
	}
	if sf.onPremises {
		return nil, s.authorizeLocal(c, rt)
	}
	p, err := s.directory.Load().Authenticate(bearerToken(c.GetHeader("Authorization")), s.clock.Now())
	if err != nil {
		r := errorResponse(http.StatusUnauthorized, "The request is not authenticated.", authReason(err),
			"Get a token with the client-credentials grant at /identity/connect/token and send it as Authorization: Bearer TOKEN.")
		r.header = http.Header{"Www-Authenticate": {authChallenge(err)}}
		return nil, &r
	}
	if !ids.Equal(p.Tenant, scope.Tenant) {
		return nil, forbidden(rt.op, fmt.Sprintf("The token belongs to tenant %q, not to tenant %q.", p.Tenant, scope.Tenant))
	}
	if rt.access.right == 0 {
		return &p, nil
	}
	collection, own := s.svc.Access(c, scope, c.Param("group"))
	acl, which := collection, "the collection's access control list"
	if rt.access.onGroup && own != nil {
		// A missing group is judged by the collection list, so a caller
		// without rights learns nothing of which groups exist.
		acl, which = *own, "the group's access control list"
	}
	if !p.Allows(acl, rt.access.right) {
		return nil, forbidden(rt.op, fmt.Sprintf("%s does not grant %s to %s %q.", capitalize(which), rightName(rt.access.right), trusteeKind(p.Type), p.ID))
	}
	return &p, nil
}

// localRealm is the realm of the on-premises service's Basic challenge.
const localRealm = "Client Failover Service"

// authorizeLocal is the on-premises service's check: HTTP Basic
// credentials of a Windows account (Kerberos is not emulated) that belongs
// to AVEVAFailoverUsers, or to AVEVAFailoverAdministrators for the
// operations only administrators may call.
func (s *Server) authorizeLocal(c *gin.Context, rt route) *response {
	name, password, ok := c.Request.BasicAuth()
	var acct auth.Account
	err := auth.ErrNoCredentials
	if ok {
		acct, err = s.directory.Load().AuthenticateBasic(name, password)
	}
	if err != nil {
		reason := "The request has no Authorization: Basic header."
		if ok {
			reason = "The user name or password is wrong."
		}
		r := errorResponse(http.StatusUnauthorized, "The request is not authenticated.", reason,
			"Send the credentials of a Windows account of the service (a fixture's WindowsAccounts) as HTTP Basic authentication.")
		r.header = http.Header{"Www-Authenticate": {`Basic realm="` + localRealm + `"`, "Negotiate"}}
		return &r
	}
	// The on-premises 403 always has a body: the cloud's bodiless Delete
	// Group 403 is of its reference only.
	deny := func(reason string) *response {
		r := errorResponse(http.StatusForbidden, "The request is not authorized.", reason,
			"Add the account to the local group the operation needs (AVEVAFailoverUsers, or AVEVAFailoverAdministrators).")
		return &r
	}
	// An account in neither group is told so whatever it called.
	switch {
	case !acct.Users && !acct.Administrators:
		return deny(fmt.Sprintf("Account %q is a member of neither %s nor %s.", acct.Name, auth.GroupUsers, auth.GroupAdministrators))
	case rt.admin && !acct.Administrators:
		return deny(fmt.Sprintf("Account %q is not a member of %s, which this operation needs.", acct.Name, auth.GroupAdministrators))
	}
	return nil
}

// bearerToken is the token of an "Authorization: Bearer TOKEN" header; the
// scheme is case-insensitive (RFC 9110 section 11.1). "" when there is none.
func bearerToken(header string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

func authReason(err error) string {
	switch {
	case errors.Is(err, auth.ErrNoToken):
		return "The request has no Authorization: Bearer header."
	case errors.Is(err, auth.ErrExpiredToken):
		return "The bearer token has expired."
	}
	return "The bearer token is not one the emulator issued or knows from its fixtures."
}

func authChallenge(err error) string {
	if errors.Is(err, auth.ErrNoToken) {
		return `Bearer realm="clientfailover"`
	}
	return `Bearer realm="clientfailover", error="invalid_token"`
}

// forbidden is a 403; Delete Group's has no body, as documented.
func forbidden(op operation.Name, reason string) *response {
	if op == operation.DeleteGroup {
		return &response{status: http.StatusForbidden}
	}
	r := errorResponse(http.StatusForbidden, "The request is not authorized.", reason,
		"Ask a tenant administrator for the right, or use an identity that has it.")
	return &r
}

func rightName(r int64) string {
	switch r {
	case auth.Read:
		return "Read"
	case auth.Write:
		return "Write"
	case auth.Delete:
		return "Delete"
	case auth.ManageAccessControl:
		return "ManageAccessControl"
	}
	return "rights " + strconv.FormatInt(r, 10)
}

func trusteeKind(t int) string {
	if t == auth.TrusteeClient {
		return "client"
	}
	return "user"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// identityRoutes serve what OAuth2 clients of the real service call before
// the API: the client-credentials grant and the discovery document.
func identityRoutes(e *gin.Engine) {
	e.POST("/identity/connect/token", withServer((*Server).token))
	e.GET("/identity/.well-known/openid-configuration", withServer((*Server).discovery))
}

// token implements the client-credentials grant (RFC 6749 section 4.4),
// with the client's credentials in the form or in HTTP Basic auth. Under
// --auth none any credentials get a token (it is never checked).
func (s *Server) token(c *gin.Context) {
	oauthError := func(status int, code, description string) {
		c.JSON(status, gin.H{"error": code, "error_description": description})
	}
	// The form is bounded like any body (net/http's own bound is 10 MB).
	tooLarge := func() {
		oauthError(http.StatusRequestEntityTooLarge, "invalid_request", fmt.Sprintf("The body is larger than %d bytes.", s.opts.MaxBodyBytes))
	}
	if c.Request.ContentLength > s.opts.MaxBodyBytes {
		tooLarge()
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.opts.MaxBodyBytes)
	if err := c.Request.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			tooLarge()
			return
		}
		oauthError(http.StatusBadRequest, "invalid_request", "The body is not a form: "+err.Error())
		return
	}
	if gt := c.Request.PostForm.Get("grant_type"); gt != "client_credentials" {
		oauthError(http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant_type %q is not supported; use client_credentials.", gt))
		return
	}
	id, secret, ok := basicCredentials(c.Request)
	if !ok {
		id, secret = c.Request.PostForm.Get("client_id"), c.Request.PostForm.Get("client_secret")
	}
	if id == "" {
		oauthError(http.StatusBadRequest, "invalid_request", "client_id is missing.")
		return
	}
	now := s.clock.Now()
	var token string
	var err error
	if *s.authMode.Load() == AuthToken {
		token, _, err = s.directory.Load().Issue(id, secret, now)
	} else {
		token = "emulator-auth-none"
	}
	if err != nil {
		c.Header("WWW-Authenticate", `Basic realm="clientfailover"`)
		oauthError(http.StatusUnauthorized, "invalid_client", "The client id or secret is wrong.")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{
		"access_token": token,
		"token_type":   "Bearer",
		"expires_in":   int(auth.TokenLifetime.Seconds()),
		"scope":        "ocsapi",
	})
}

// basicCredentials reads a client's id and secret from HTTP Basic auth,
// where OAuth 2.0 form-encodes them first (RFC 6749 section 2.3.1).
func basicCredentials(r *http.Request) (id, secret string, ok bool) {
	rawID, rawSecret, ok := r.BasicAuth()
	if !ok {
		return "", "", false
	}
	id, errID := url.QueryUnescape(rawID)
	secret, errSecret := url.QueryUnescape(rawSecret)
	if errID != nil || errSecret != nil {
		return rawID, rawSecret, true // not form-encoded: take it as sent
	}
	return id, secret, true
}

// discovery is the OpenID Connect discovery document, pointing at this
// server: at Options.PublicURL when set, else as the request reached it
// (its scheme and Host header, so a client sees the address it dialled,
// but any caller can choose the host the document names).
func (s *Server) discovery(c *gin.Context) {
	base := s.opts.PublicURL
	if base == "" {
		scheme := "http"
		if c.Request.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + c.Request.Host
	}
	issuer := base + "/identity"
	c.JSON(http.StatusOK, gin.H{
		"issuer":                                issuer,
		"token_endpoint":                        issuer + "/connect/token",
		"grant_types_supported":                 []string{"client_credentials"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
		"response_types_supported":              []string{"token"},
		"scopes_supported":                      []string{"ocsapi"},
	})
}
