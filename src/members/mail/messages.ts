import type { OutgoingEmail } from './mailer.service.js';

/** The texts of customer email. `link` is the portal page; the token alone also works through the API. */

export function verificationEmail(to: string, link: string, token: string): OutgoingEmail {
  return {
    to,
    subject: 'Confirm your email address for Quorum',
    text: `Welcome to Quorum.\n\nConfirm your email address: ${link}\n\nOr through the API: POST /v1/portal/verify-email {"token": "${token}"}\n\nThe link is valid for 48 hours. If you did not sign up, ignore this message.\n`,
  };
}

export function passwordResetEmail(to: string, link: string, token: string): OutgoingEmail {
  return {
    to,
    subject: 'Reset your Quorum password',
    text: `Someone asked to reset the password of your Quorum account.\n\nChoose a new password: ${link}\n\nOr through the API: POST /v1/portal/password-reset/confirm {"token": "${token}", "password": "..."}\n\nThe link is valid for 1 hour and ends every open session. If you did not ask, ignore this message.\n`,
  };
}

export function invitationEmail(to: string, organizationName: string, role: string, link: string, token: string): OutgoingEmail {
  return {
    to,
    subject: `You are invited to ${organizationName} on Quorum`,
    text: `You are invited to join ${organizationName} on Quorum as ${role}.\n\nAccept: ${link}\n\nOr through the API: POST /v1/portal/invitations/accept {"token": "${token}", "password": "..."}\n\nThe invitation is valid for 7 days.\n`,
  };
}
