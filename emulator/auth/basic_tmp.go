package auth

import "errors"

// TEMPORARY until the hardening branch lands (its AuthenticateBasic replaces this).

const (
	GroupUsers          = "AVEVAFailoverUsers"
	GroupAdministrators = "AVEVAFailoverAdministrators"
)

type Account struct {
	Name                  string
	Users, Administrators bool
}

var (
	ErrNoCredentials  = errors.New("no credentials")
	ErrBadCredentials = errors.New("bad credentials")
)

func (d *Directory) AuthenticateBasic(name, password string) (Account, error) {
	return Account{}, ErrBadCredentials
}
