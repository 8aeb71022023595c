{
 "kind": "slow",
 "seconds": 6,
 "content_type": "application/javascript",
 "body": "window.held = true;\n"
}