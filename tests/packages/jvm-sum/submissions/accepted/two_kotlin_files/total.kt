fun total(line: String): Long = line.trim().split(" ").map { it.toLong() }.sum()
