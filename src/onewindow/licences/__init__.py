"""Electronic licences and certificates (电子证照, R-MSG-2): a decided case's result as a
signed PDF with the center's seal, a QR code and a verification code anyone can check
at a public address; revocation and replacement; the visits a case needed (最多跑一次)."""
