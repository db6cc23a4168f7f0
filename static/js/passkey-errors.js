// The add-passkey page: allauth's script reports a WebAuthn failure as an "allauth.error"
// event (else only in the console). Show it in the page, in words, in #passkey-error (its
// data-* attributes hold the translated messages).
(function () {
  'use strict'
  document.addEventListener('allauth.error', function (event) {
    const box = document.getElementById('passkey-error')
    const detail = event.detail || {}
    if (!box || !(detail.tags || []).includes('webauthn')) return
    event.preventDefault()
    const exception = detail.exception || {}
    const words = {
      SecurityError: box.dataset.security,
      NotAllowedError: box.dataset.notAllowed,
      InvalidStateError: box.dataset.invalidState
    }[exception.name] || box.dataset.other
    box.textContent = words + (exception.message ? ' (' + exception.message + ')' : '')
    box.hidden = false
    box.focus()
  })
})()
