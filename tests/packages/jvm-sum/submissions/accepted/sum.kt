fun main() {
    readLine()
    println(readLine()!!.trim().split(" ").fold(0L) { s, x -> s + x.toLong() })
}
