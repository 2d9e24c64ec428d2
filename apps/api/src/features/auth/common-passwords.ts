/**
 * Passwords seen most often in breach corpora (lower-cased); refused whatever their length.
 * Kept in the code so no download is needed; the length rule (>= 8) removes the shorter ones anyway.
 */
export const COMMON_PASSWORDS = new Set(
  `123456 123456789 12345678 password qwerty123 qwerty 1q2w3e4r 111111 12345 1234567 1234567890 123123 000000 iloveyou
  abc123 password1 password123 passw0rd qwertyuiop 123321 666666 654321 987654321 88888888 11111111 00000000 1qaz2wsx
  zaq12wsx letmein welcome welcome1 welcome123 admin admin123 administrator root toor changeme changeme123 default
  monkey dragon football baseball sunshine princess superman batman trustno1 master shadow michael jennifer hunter2
  starwars whatever freedom computer internet secret secret123 login loveme lovely charlie donald pokemon liverpool
  chelsea arsenal jordan23 harley ranger buster soccer hockey killer george asshole fuckyou 696969 mustang access
  qazwsx 1234qwer qwer1234 asdfghjk asdfasdf zxcvbnm zxcvbnm1 q1w2e3r4 q1w2e3r4t5 1q2w3e4r5t 123qwe 123qweasd
  qweasdzxc passwort motdepasse contrasena senha azerty azerty123 aa123456 a123456 a12345678 abcd1234 abcdefg abcdefgh
  iloveyou1 princess1 sunshine1 football1 baseball1 monkey123 dragon123 password! password1! p@ssw0rd p@ssword
  summer2024 summer2025 summer2026 winter2024 winter2025 winter2026 spring2025 spring2026 autumn2025 autumn2026
  company123 company1 test1234 testtest test123 guest guest123 user1234 demo1234 temp1234 temporary 12341234 11223344
  55555555 77777777 99999999 12344321 147258369 159753 741852963 999999999 987654321 1111111111 0987654321 qwerty1
  qwerty12 qwerty1234 1qaz2wsx3edc 1qazxsw2 zaq1zaq1 !qaz2wsx baseball football1 superman1 batman123 incident incident1
  service1 helpdesk helpdesk1 servicedesk support123 itsupport`
    .split(/\s+/)
    .filter(Boolean),
);
