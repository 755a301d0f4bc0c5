fun main() {
    readLine()
    println(readLine()!!.trim().split(" ")[0])
}
