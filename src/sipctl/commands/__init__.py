"""One module per command: each turns options into one service call and hands the result on."""
