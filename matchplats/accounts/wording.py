"""allauth's own strings that Matchplats words differently in Swedish.

allauth ships a Swedish catalogue, but some of it is wrong where a person meets it first (the
sign-in page said "Har du redan ett konto? Då kan du logga in" with a link to sign-up), mixes
"epost", "mail" and "e-post", or asks people to "contact us" when there is no one to contact.
Our catalogue (``LOCALE_PATHS``) is consulted before allauth's, so a message id listed here gets
our Swedish wherever allauth uses it — in its templates, forms and adapter alike. The ids must
match allauth's English exactly; ``tests/matchplats/accounts/test_wording.py`` renders the pages
and e-mails and fails on the old words. Nothing here is called: ``gettext_noop`` only marks
the ids for ``makemessages``. The e-mails themselves are our templates (templates/account/email).
"""

from django.utils.translation import gettext_noop

ALLAUTH_MESSAGE_IDS = [
    # Pages: sign in, sign up, verification, password reset, sign-in by code, sign out.
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Verify Your Email Address"),
    gettext_noop("We have sent an email to you for verification. Follow the link provided to finalize the signup "
                 "process. If you do not see the verification email in your main inbox, check your spam folder. "
                 "Please contact us if you do not receive the verification email within a few minutes."),
    gettext_noop("This part of the site requires us to verify that\nyou are who you claim to be. For this purpose, "
                 "we require that you\nverify ownership of your email address. "),
    gettext_noop("We have sent an email to you for\nverification. Please click on the link inside that email. If you "
                 "do not see the verification email in your main inbox, check your spam folder. Otherwise\ncontact "
                 "us if you do not receive it within a few minutes."),
    gettext_noop('<strong>Note:</strong> you can still <a href="%(email_url)s">change your email address</a>.'),
    gettext_noop("Confirm Email Address"),
    gettext_noop('Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user '
                 "%(user_display)s."),
    gettext_noop('This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new '
                 "email confirmation request</a>."),
    gettext_noop("Unable to confirm %(email)s because it is already confirmed by a different account."),
    gettext_noop("Confirm"),
    gettext_noop("Password Reset"),
    gettext_noop("Forgotten your password? Enter your email address below, and we'll send you an email allowing "
                 "you to reset it."),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop("We have sent you an email. If you have not received it please check your spam folder. Otherwise "
                 "contact us if you do not receive it in a few minutes."),
    gettext_noop("Bad Token"),
    gettext_noop('The password reset link was invalid, possibly because it has already been used.  Please request '
                 'a <a href="%(passwd_reset_url)s">new password reset</a>.'),
    gettext_noop("Your password is now changed."),
    gettext_noop("You will receive a special code for a password-free sign-in."),
    gettext_noop("Request Code"),
    gettext_noop("We've sent a code to %(recipient)s. The code expires shortly, so please enter it soon."),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("Email Verification"),
    gettext_noop("Enter Email Verification Code"),
    gettext_noop("Use a different email address"),
    gettext_noop("Are you sure you want to sign out?"),
    # The account's e-mail addresses.
    gettext_noop("Email Addresses"),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("Verified"),
    gettext_noop("Unverified"),
    gettext_noop("Make Primary"),
    gettext_noop("Re-send Verification"),
    gettext_noop("Add Email Address"),
    gettext_noop("Add Email"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("Email Address"),
    gettext_noop("Current email"),
    gettext_noop("Your email address is still pending verification."),
    gettext_noop("Change Email"),
    gettext_noop("You currently do not have any email address set up. You should really add an email address so "
                 "you can receive notifications, reset your password, etc."),
    # Form labels and errors.
    gettext_noop("Email"),
    gettext_noop("Email address"),
    gettext_noop("Email (again)"),
    gettext_noop("You must type the same email each time."),
    gettext_noop("You must type the same password each time."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("This email address is already associated with this account."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop("You cannot add more than %d email addresses."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("Invalid or expired key."),
    gettext_noop("Invalid login."),
    gettext_noop("The password reset token was invalid."),
    gettext_noop("Be patient, you are sending too many requests."),
    # Messages after an action.
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("Primary email address set."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Password successfully set."),
    # Notifications sent by allauth's own e-mail templates (the subjects and the one-line changes).
    gettext_noop("Email Changed"),
    gettext_noop("Your email has been changed from %(from_email)s to %(to_email)s."),
    gettext_noop("Email Confirmation"),
    gettext_noop("Your email has been confirmed."),
    gettext_noop("Email Removed"),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop("Password Reset Code"),
    gettext_noop("Your password reset code is listed below. Please enter it in your open browser window."),
    gettext_noop("This mail can be safely ignored if you did not initiate this action."),
    # Two-step sign-in (allauth.mfa): its messages and e-mails said "autentiseringsapp aktiverad" and
    # "tvåfaktorsautentisering" where our pages say "tvåstegsinloggning".
    gettext_noop("Authenticator app activated."),
    gettext_noop("Authenticator app deactivated."),
    gettext_noop("A new set of recovery codes has been generated."),
    gettext_noop("Authenticator App Activated"),
    gettext_noop("Authenticator App Deactivated"),
    gettext_noop("New Recovery Codes Generated"),
    gettext_noop("A new set of Two-Factor Authentication recovery codes has been generated."),
]
